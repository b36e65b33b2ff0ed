using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Text;
using System.Text.RegularExpressions;
using ExtractPortal.Features.Access;
using ExtractPortal.Features.Extracts;
using ExtractPortal.Features.Runs;
using ExtractPortal.Local;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Rendering;
using ExtractPortal.Pipeline.Store;
using Microsoft.Playwright;

namespace ExtractPortal.Benchmarks.Portal;

/// <summary>
/// The portal benchmark (docs/benchmarks.md, portal section): the runs page with 10,000 runs, the
/// preview of a 1 GB extract, the portal's memory while it streams a 1 GB download.
/// </summary>
public static class PortalBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        // ExtractPortal.Benchmarks portal [--runs 10000] [--csv-gb 1] [--work <folder>] [--portal <ExtractPortal.dll>]
        // Measures the portal (figures for docs/benchmarks.md, portal section):
        //   1. the runs page's first render with N runs in history (store query, and in Chromium until the grid shows rows);
        //   2. the extract preview of a 1 GB CSV: time and bytes read;
        //   3. the portal process's memory while it streams a 1 GB download.
        var runs = IntArg("--runs", 10_000);
        var csvGb = IntArg("--csv-gb", 1);
        var work = StringArg("--work") ?? Path.Combine(Path.GetTempPath(), "portal-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var portalDll = StringArg("--portal") ?? Path.Combine(AppContext.BaseDirectory, "ExtractPortal.dll");
        Directory.CreateDirectory(work);
        Console.WriteLine($"work folder {work}; {Environment.ProcessorCount} cores; {runs} runs; {csvGb} GB CSV");

        // --- seed: N runs in SQLite, and a 1 GB published extract ---
        var database = new PortalDatabase(Path.Combine(work, PortalDatabase.FileName));
        var seed = Stopwatch.StartNew();
        await SeedRunsAsync(database, runs);
        Console.WriteLine($"seeded {runs} runs in {seed.ElapsedMilliseconds} ms");
        var month = ExtractMonth.Parse("2026-09");
        var key = ExtractKeys.FileKey("BigBank", month);
        seed.Restart();
        var csvBytes = WriteBigCsv(Path.Combine(work, "extracts", key), (long)csvGb << 30);
        WriteManifest(Path.Combine(work, "extracts"), month, key, csvBytes);
        Console.WriteLine($"wrote a {csvBytes / (1 << 20)} MiB extract in {seed.ElapsedMilliseconds} ms");

        // --- 1a. the run store's first page with N runs (what the runs page asks for) ---
        var store = new SqliteRunStore(database, TimeProvider.System);
        var query = new RunQuery { PageSize = 25 };
        var first = Stopwatch.StartNew();
        var page = await store.QueryAsync(query, default);
        var firstQueryMs = first.Elapsed.TotalMilliseconds;
        var warm = new List<double>();
        for (var i = 0; i < 20; i++) { var sw = Stopwatch.StartNew(); await store.QueryAsync(query with { Page = i }, default); warm.Add(sw.Elapsed.TotalMilliseconds); }
        var filtered = Stopwatch.StartNew();
        await store.QueryAsync(query with { State = RunState.Failed, TriggeredBy = "olivia", Sort = RunSort.Duration }, default);
        Console.WriteLine($"RESULT runs-query total={page.TotalCount} first={firstQueryMs:0.0}ms warm-median={Median(warm):0.0}ms filtered+sorted-by-duration={filtered.Elapsed.TotalMilliseconds:0.0}ms");

        // --- 2. preview of the 1 GB CSV (in process, as the extract view reads it) ---
        var reader = new LocalExtractStoreReader(new LocalExtractStore(Path.Combine(work, "extracts")));
        var service = new ExtractService(reader, store, new ExtractPortal.Features.Audit.AuditService(new SqliteAuditTrail(database), TimeProvider.System), TimeProvider.System);
        var auditor = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, Roles.Auditor), new Claim(ClaimTypes.Name, "bench")], "bench"));
        var previewTimes = new List<double>();
        long bytesRead = 0;
        for (var i = 0; i < 5; i++)
        {
            var sw = Stopwatch.StartNew();
            var detail = await service.GetExtractAsync(auditor, "BigBank", month.ToString());
            previewTimes.Add(sw.Elapsed.TotalMilliseconds);
            bytesRead = detail!.Preview!.BytesRead;
        }
        Console.WriteLine($"RESULT preview file={csvBytes} rows={ExtractService.PreviewRows} first={previewTimes[0]:0.0}ms median={Median(previewTimes):0.0}ms bytes-read={bytesRead}");

        // --- the portal process on a free port, for the browser and the download ---
        var port = FreePort();
        using var portal = StartPortal(portalDll, work, port);
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        await WaitReadyAsync(baseUri);
        var startRss = RssKiB(portal.Id);

        // --- 1b. runs page first render in Chromium (navigation until the grid shows its rows) ---
        if (File.Exists("/usr/bin/chromium"))
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = "/usr/bin/chromium", Headless = true,
                Args = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            var context = await browser.NewContextAsync(new() { BaseURL = baseUri.ToString().TrimEnd('/') });
            var tab = await context.NewPageAsync();
            await tab.GotoAsync("/signin");
            await tab.GetByTestId("signin-support").ClickAsync();
            await tab.Locator("[data-testid=runs-grid] tbody tr").First.WaitForAsync(new() { Timeout = 60_000 });
            var renders = new List<double>();
            for (var i = 0; i < 6; i++)
            {
                var sw = Stopwatch.StartNew();
                await tab.GotoAsync("/runs");
                await tab.Locator("[data-testid=runs-grid] tbody tr:nth-child(25)").WaitForAsync(new() { Timeout = 60_000 });
                renders.Add(sw.Elapsed.TotalMilliseconds);
            }
            var previews = new List<double>();
            for (var i = 0; i < 3; i++)
            {
                var sw = Stopwatch.StartNew();
                await tab.GotoAsync($"/extracts/BigBank/{month}");
                await tab.Locator("[data-testid=preview] tbody tr").First.WaitForAsync(new() { Timeout = 60_000 });
                previews.Add(sw.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"RESULT runs-page-browser runs={runs} after-sign-in(first)={renders[0]:0}ms median-of-next-5={Median(renders.Skip(1).ToList()):0}ms");
            Console.WriteLine($"RESULT extract-view-browser file={csvBytes} median={Median(previews):0}ms");
        }
        else Console.WriteLine("no /usr/bin/chromium: browser measurements skipped");

        // --- 3. memory of the portal process while streaming the 1 GB download ---
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(10) };
        await SignInAsync(http, "ada.auditor");
        var peak = RssKiB(portal.Id);
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested) { peak = Math.Max(peak, RssKiB(portal.Id)); await Task.Delay(50); }
        });
        var before = RssKiB(portal.Id);
        var download = Stopwatch.StartNew();
        long received = 0;
        using (var response = await http.GetAsync($"/extracts/BigBank/{month}/download", HttpCompletionOption.ResponseHeadersRead))
        {
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[81920];
            int n;
            while ((n = await body.ReadAsync(buffer)) > 0) received += n;
        }
        download.Stop();
        await sampling.CancelAsync();
        await sampler;
        Console.WriteLine($"RESULT download bytes={received} seconds={download.Elapsed.TotalSeconds:0.0} MiB/s={received / download.Elapsed.TotalSeconds / (1 << 20):0} " +
                          $"portal-rss-at-start={startRss / 1024}MiB before={before / 1024}MiB peak-during={peak / 1024}MiB growth={(peak - before) / 1024}MiB");
        if (received != csvBytes) Console.WriteLine($"ERROR: received {received} bytes, expected {csvBytes}");

        portal.Kill(entireProcessTree: true);
        await portal.WaitForExitAsync();
        if (StringArg("--work") is null) Directory.Delete(work, recursive: true);
        return 0;

        // ----------------------------------------------------------------------------------------------

        int IntArg(string name, int fallback) => StringArg(name) is { } v ? int.Parse(v) : fallback;
        string? StringArg(string name) { var i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }
        static double Median(List<double> values) { var s = values.Order().ToList(); return s[s.Count / 2]; }

        static async Task SeedRunsAsync(PortalDatabase database, int count)
        {
            await using var connection = await database.OpenAsync(default);
            await using var transaction = connection.BeginTransaction();
            var start = DateTimeOffset.UtcNow.AddDays(-count / 10.0);
            var users = new[] { "olivia.operator", "bob.operator", "scheduler" };
            var states = new[] { "Succeeded", "Succeeded", "Succeeded", "Succeeded", "Failed", "Cancelled" };
            for (var i = 0; i < count; i++)
            {
                var created = start.AddMinutes(i * 14.4);
                var m = new ExtractMonth(2000 + i / 12 % 26, i % 12 + 1).ToString();
                var id = $"run-{created.UtcDateTime:yyyyMMdd-HHmmss}-{i:x6}";
                var state = states[i % states.Length];
                await using var insert = PortalDatabase.Command(connection,
                    "INSERT INTO runs (run_id, months, first_month, state, stage, months_published, months_total, triggered_by, reason, created_at, started_at, finished_at, error, engine) " +
                    "VALUES ($id, $m, $m, $state, 'Done', 1, 1, $by, 'benchmark history', $c, $c, $f, $e, 'duckdb-local')",
                    ("$id", id), ("$m", m), ("$state", state), ("$by", users[i % 3]), ("$c", PortalDatabase.ToDb(created)),
                    ("$f", PortalDatabase.ToDb(created.AddSeconds(2 + i % 90))), ("$e", state == "Failed" ? "ODS unreachable" : null));
                await insert.ExecuteNonQueryAsync();
                await using var claim = PortalDatabase.Command(connection, "INSERT INTO run_months (run_id, month, active) VALUES ($id, $m, 0)", ("$id", id), ("$m", m));
                await claim.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
        }

        static long WriteBigCsv(string path, long target)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var header = Encoding.UTF8.GetBytes(ExtractCsv.HeaderLine);
            var block = new MemoryStream();
            for (var b = 1; block.Length < 4 << 20; b++)
                block.Write(Encoding.UTF8.GetBytes($"Big Bank,{b},\"{b} Long Street, Cape Town\",2026-09,{b % 300},{b % 300 * 1000},{b % 900},{b % 900 * 1000},{b % 900 * 1000 / 3}.33,1000.00\n"));
            var bytes = block.ToArray();
            using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
            file.Write(header);
            long written = header.Length;
            while (written + bytes.Length <= target) { file.Write(bytes); written += bytes.Length; }
            return written;
        }

        static void WriteManifest(string root, ExtractMonth month, string key, long bytes)
        {
            var manifest = new ExtractManifest
            {
                RunId = "run-benchmark", Engine = "duckdb-local", Month = month.ToString(), WindowStart = month.WindowStart.ToString("yyyy-MM-dd"),
                WindowEnd = month.WindowEnd.ToString("yyyy-MM-dd"), TriggeredBy = "benchmark", Reason = "benchmark", StartedAt = DateTimeOffset.UtcNow, PublishedAt = DateTimeOffset.UtcNow,
                Files = [new ManifestFile { BankId = 1, BankName = "Big Bank", Token = "BigBank", Key = key, Rows = 0, Bytes = bytes, Sha256 = new string('0', 64), ControlTotals = new ManifestControlTotals() }],
                DataQuality = new DataQuality { Excluded = new ExcludedLoans() },
            };
            var path = Path.Combine(root, ExtractKeys.ManifestKey(month));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, manifest.ToJsonBytes());
        }

        static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        static Process StartPortal(string dll, string dataFolder, int port)
        {
            var info = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
            info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";   // static web assets of a build output (not publish) need it
            info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
            info.Environment["Portal__DataFolder"] = dataFolder;
            info.Environment["Serilog__MinimumLevel__Default"] = "Warning";
            var process = Process.Start(info)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("portal: " + e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return process;
        }

        static async Task WaitReadyAsync(Uri baseUri)
        {
            using var http = new HttpClient { BaseAddress = baseUri };
            for (var i = 0; i < 300; i++)
            {
                try { if ((await http.GetAsync("/readyz")).IsSuccessStatusCode) return; } catch (HttpRequestException) { }
                await Task.Delay(200);
            }
            throw new TimeoutException("the portal did not become ready");
        }

        static async Task SignInAsync(HttpClient http, string user)
        {
            var page = await http.GetStringAsync("/signin");
            var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
            using var response = await http.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["user"] = user, ["returnUrl"] = "/runs", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            }));
            if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in gave {response.StatusCode}");
        }

        static long RssKiB(int pid)
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                    if (line.StartsWith("VmRSS:")) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
            }
            catch (IOException) { }
            return 0;
        }
    }
}
