using ExtractPortal.Pipeline.Months;

namespace ExtractPortal.Pipeline.Sources;

/// <summary>Size of a synthetic ODS. <see cref="Demo"/> is the portal's default data set.</summary>
public sealed record SyntheticOdsSize(int BranchesPerBank, int Clients, int Loans, int Months)
{
    /// <summary>Three banks, dozens of branches, thousands of clients, a few hundred thousand loans over 36 months.</summary>
    public static readonly SyntheticOdsSize Demo = new(BranchesPerBank: 12, Clients: 6_000, Loans: 300_000, Months: 36);
}

/// <summary>
/// Deterministic synthetic ODS data in the ODS schema: the same size and last month always give the
/// same rows (a fixed-seed SplitMix64 generator, no System.Random, no clock).
/// Includes what the spec's rules need to be visible: a bank name that needs quoting and token
/// stripping, an address with a comma and one with a line break, a branch without loans, a branch
/// of a missing bank, and a handful of loans with NULL amount or date or an unknown account.
/// </summary>
public sealed class SyntheticOds(SyntheticOdsSize size, ExtractMonth lastMonth)
{
    public static readonly string[] BankNames = ["Coral Bank & Trust", "Harbour Savings, \"The Community Bank\"", "Aurora Mutual"];

    private static readonly string[] Streets = ["Long Street", "Main Road", "Church Street", "Voortrekker Road", "Beach Road", "Jan Smuts Avenue", "Oxford Road", "Market Street"];
    private static readonly string[] Towns = ["Cape Town", "Durban", "Johannesburg", "Pretoria", "Gqeberha", "Bloemfontein", "Polokwane", "Stellenbosch"];
    private static readonly string[] FirstNames = ["Thandi", "Pieter", "Ayesha", "Sipho", "Maria", "Johan", "Lerato", "David", "Naledi", "Ahmed"];
    private static readonly string[] Surnames = ["Nkosi", "van der Merwe", "Patel", "Dlamini", "Botha", "Naidoo", "Mokoena", "Smith", "Khumalo", "Pillay"];

    public SyntheticOdsSize Size => size;
    public ExtractMonth FirstMonth => lastMonth.AddMonths(-(size.Months - 1));
    public ExtractMonth LastMonth => lastMonth;

    private int BranchCount => size.BranchesPerBank * BankNames.Length;
    /// <summary>A branch of bank 3 that no client belongs to: it has no loans, every month.</summary>
    public int BranchWithoutLoans => BranchCount + 1;
    /// <summary>A branch whose bank does not exist: its loans are data-quality "orphan_bank".</summary>
    public int BranchOfMissingBank => BranchCount + 2;

    public IEnumerable<object?[]> Banks() =>
        BankNames.Select((name, i) => new object?[] { i + 1, name, 1_000_000 * (i + 3) });

    public IEnumerable<object?[]> Branches()
    {
        var random = new SplitMix64(1);
        for (var id = 1; id <= BranchCount; id++)
        {
            var bank = (id - 1) / size.BranchesPerBank + 1;
            string? address = $"{random.Next(1, 400)} {Streets[random.Next(Streets.Length)]}, {Towns[random.Next(Towns.Length)]}";
            if (id == 2) address = "Unit 4\nHarbour Mall";   // a line break: quoted in the CSV
            if (id == 3) address = null;                      // no address: an empty field
            yield return [id, bank, address];
        }
        yield return [BranchWithoutLoans, 3, "1 New Branch Lane, Stellenbosch"];
        yield return [BranchOfMissingBank, 99, "Closed Branch, Nowhere"];
    }

    public IEnumerable<object?[]> Clients()
    {
        var random = new SplitMix64(2);
        for (var id = 1; id <= size.Clients; id++)
        {
            object? branch = random.Next(1, BranchCount + 1);
            if (id % 997 == 0) branch = BranchOfMissingBank;
            if (id == 13) branch = null;   // a client without a branch: "orphan_branch"
            yield return [id, FirstNames[random.Next(FirstNames.Length)], Surnames[random.Next(Surnames.Length)], branch];
        }
    }

    /// <summary>One account per client (as in the diagram), plus two accounts of an unknown client.</summary>
    public IEnumerable<object?[]> Accounts()
    {
        var random = new SplitMix64(3);
        var opened = FirstMonth.AddMonths(-24).FirstDay;
        for (var id = 1; id <= size.Clients; id++)
            yield return [id, random.Next(0, 500_000), id, opened.AddDays(random.Next(0, 700))];
        yield return [size.Clients + 1, 0, int.MaxValue - 1, opened];
        yield return [size.Clients + 2, 0, int.MaxValue - 2, opened];
    }

    /// <summary>
    /// Loans in date order, undated ones last (as in a table clustered on loan_date), so a window
    /// read and an "IS NULL" read each skip the storage blocks outside them.
    /// </summary>
    public IEnumerable<object?[]> Loans()
    {
        var random = new SplitMix64(4);
        var undated = new List<object?[]>();
        var perMonth = size.Loans / size.Months;
        var id = 0;
        for (var m = 0; m < size.Months; m++)
        {
            var month = FirstMonth.AddMonths(m);
            var days = month.LastDay.Day;
            var count = m == size.Months - 1 ? size.Loans - perMonth * (size.Months - 1) : perMonth;
            for (var i = 0; i < count; i++)
            {
                id++;
                object? amount = random.Next(5, 2_500) * 100;
                object? date = month.FirstDay.AddDays(random.Next(days));
                object? account = random.Next(1, size.Clients + 1);
                if (id % 9_973 == 7) amount = null;                     // data quality: NULL amount
                else if (id % 9_973 == 11) date = null;                 // data quality: NULL loan_date
                else if (id % 9_973 == 17) account = size.Clients + 50; // data quality: unknown account
                else if (id % 9_973 == 23) account = size.Clients + 1;  // data quality: account of an unknown client
                else if (id % 50_021 == 3) amount = -(int)amount!;        // a reversal: negative amounts occur
                if (date is null) undated.Add([id, amount, account, date]);
                else yield return [id, amount, account, date];
            }
        }
        foreach (var loan in undated) yield return loan;
    }

    public IEnumerable<(OdsTable Table, IEnumerable<object?[]> Rows)> Tables() =>
    [
        (OdsTables.Bank, Banks()), (OdsTables.Branch, Branches()), (OdsTables.Client, Clients()),
        (OdsTables.Account, Accounts()), (OdsTables.Loans, Loans()),
    ];

    /// <summary>SplitMix64: tiny, fast and fully specified, so the data never changes across .NET versions.</summary>
    private sealed class SplitMix64(ulong seed)
    {
        private ulong _state = seed * 0x9E3779B97F4A7C15UL;

        private ulong NextULong()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        public int Next(int maxExclusive) => (int)(NextULong() % (ulong)maxExclusive);
        public int Next(int minInclusive, int maxExclusive) => minInclusive + Next(maxExclusive - minInclusive);
    }
}
