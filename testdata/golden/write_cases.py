#!/usr/bin/env python3
"""Writes the golden vectors under testdata/golden/<case>/ (layout: docs/extract-store.md).

Every expected value below is a literal worked out by hand from extract-spec.md, not computed:
the point of these vectors is to check the SQL, the C# engine and the Glue job against the
spec, so nothing here may share code with them. Re-run after editing a case:
    python3 testdata/golden/write_cases.py
"""
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent
HEADER = ("bank_name,branch_id,branch_address,month,loan_count,loan_amount,"
          "loan_count_3m,loan_amount_3m,moving_avg_loan_amount_3m,avg_loan_amount_3m\n")


def bank(i, name):
    return {"idbank": i, "name": name, "capitalization": 1000}


def branch(i, bank_id, address):
    return {"idbranch": i, "bank_idbank": bank_id, "address": address}


def client(i, branch_id):
    return {"idclient": i, "name": f"Client{i}", "surname": "Test", "branch_idbranch": branch_id}


def account(i, client_id):
    return {"idaccount": i, "balance": 0, "client_idclient": client_id, "open_date": "2020-01-01"}


def loan(i, amount, account_id, date):
    return {"idloan": i, "amount": amount, "account_idaccount": account_id, "loan_date": date}


def row(month, bank_id, bank_name, branch_id, address, n, amt, n3, amt3, ma, avg):
    return {"month": month, "bank_id": bank_id, "bank_name": bank_name, "branch_id": branch_id,
            "branch_address": address, "loan_count": n, "loan_amount": amt, "loan_count_3m": n3,
            "loan_amount_3m": amt3, "moving_avg_loan_amount_3m": ma, "avg_loan_amount_3m": avg}


def quality(month, read, used, null_amount=0, null_loan_date=0, orphan_account=0,
            orphan_client=0, orphan_branch=0, orphan_bank=0):
    return {"month": month, "loans_read": read, "loans_used": used, "null_amount": null_amount,
            "null_loan_date": null_loan_date, "orphan_account": orphan_account,
            "orphan_client": orphan_client, "orphan_branch": orphan_branch, "orphan_bank": orphan_bank}


def one_branch_chain(bank_id, bank_name, address):
    """A bank with one branch, one client and one account (id 1 everywhere)."""
    return {"bank": [bank(bank_id, bank_name)], "branch": [branch(1, bank_id, address)],
            "client": [client(1, 1)], "account": [account(1, 1)]}


CASES = []


def case(name, description, months, ods, rows=None, data_quality=None, files=None, error=None):
    CASES.append(dict(name=name, description=description, months=months, ods=ods, rows=rows or [],
                      data_quality=data_quality or [], files=files or {}, error=error))


# 1. The spec's worked example, with loans just outside the window and a second branch.
case("worked_example",
     "extract-spec.md's worked example: branch 7 of Coral Bank & Trust in 2026-03",
     ["2026-03"],
     {"bank": [bank(1, "Coral Bank & Trust")],
      "branch": [branch(7, 1, "7 Main Road, Cape Town"), branch(8, 1, "8 Beach Road")],
      "client": [client(1, 7), client(2, 8)],
      "account": [account(1, 1), account(2, 2)],
      "loans": [loan(1, 100, 1, "2026-01-10"), loan(2, 200, 1, "2026-01-20"), loan(3, 50, 1, "2026-03-15"),
                loan(4, 999, 1, "2025-12-31"), loan(5, 999, 1, "2026-04-01"), loan(6, 40, 2, "2026-02-28")]},
     rows=[row("2026-03", 1, "Coral Bank & Trust", 7, "7 Main Road, Cape Town", 1, 50, 3, 350, "116.67", "116.67"),
           row("2026-03", 1, "Coral Bank & Trust", 8, "8 Beach Road", 0, 0, 1, 40, "13.33", "40.00")],
     data_quality=[quality("2026-03", 4, 4)],
     files={"bank_name=CoralBankTrust/year=2026/month=03/CoralBankTrust_20260331.csv":
            HEADER
            + 'Coral Bank & Trust,7,"7 Main Road, Cape Town",2026-03,1,50,3,350,116.67,116.67\n'
            + "Coral Bank & Trust,8,8 Beach Road,2026-03,0,0,1,40,13.33,40.00\n"})

# 2. Window edges: first day of M-2 in, last day of M-3 out, last day of M in, first day of M+1 out.
#    Two months in one run (a backfill is computed in one pass).
case("window_boundaries",
     "loans on each edge of the window; two months computed in one pass",
     ["2026-02", "2026-03"],
     {**one_branch_chain(1, "Alpha Bank", "A"),
      "loans": [loan(1, 10, 1, "2025-11-30"), loan(2, 20, 1, "2025-12-01"), loan(3, 40, 1, "2026-01-31"),
                loan(4, 80, 1, "2026-02-01"), loan(5, 160, 1, "2026-02-28"), loan(6, 320, 1, "2026-03-01"),
                loan(7, 640, 1, "2026-03-31"), loan(8, 1280, 1, "2026-04-01")]},
     rows=[row("2026-02", 1, "Alpha Bank", 1, "A", 2, 240, 4, 300, "100.00", "75.00"),
           row("2026-03", 1, "Alpha Bank", 1, "A", 2, 960, 5, 1240, "413.33", "248.00")],
     data_quality=[quality("2026-02", 4, 4), quality("2026-03", 5, 5)],
     files={"bank_name=AlphaBank/year=2026/month=02/AlphaBank_20260228.csv":
            HEADER + "Alpha Bank,1,A,2026-02,2,240,4,300,100.00,75.00\n",
            "bank_name=AlphaBank/year=2026/month=03/AlphaBank_20260331.csv":
            HEADER + "Alpha Bank,1,A,2026-03,2,960,5,1240,413.33,248.00\n"})

# 3. January: the window reaches back into the previous year.
case("year_boundary",
     "M = 2026-01: the window is 2025-11-01 .. 2026-01-31",
     ["2026-01"],
     {**one_branch_chain(1, "Beta", "B1"),
      "loans": [loan(1, 300, 1, "2025-10-31"), loan(2, 100, 1, "2025-11-01"), loan(3, 200, 1, "2025-12-31"),
                loan(4, 400, 1, "2026-01-01"), loan(5, 800, 1, "2026-02-01")]},
     rows=[row("2026-01", 1, "Beta", 1, "B1", 1, 400, 3, 700, "233.33", "233.33")],
     data_quality=[quality("2026-01", 3, 3)],
     files={"bank_name=Beta/year=2026/month=01/Beta_20260131.csv":
            HEADER + "Beta,1,B1,2026-01,1,400,3,700,233.33,233.33\n"})

# 4. 29 February: the key's date is the last day of M; a loan on 29 Feb counts.
case("leap_february",
     "February of a leap year (file dated 20240229) and of a common year with no loans (20230228)",
     ["2023-02", "2024-02"],
     {**one_branch_chain(1, "Gamma", "G1"),
      "loans": [loan(1, 1000, 1, "2024-02-29"), loan(2, 500, 1, "2023-12-01"), loan(3, 7, 1, "2024-03-01"),
                loan(4, 9, 1, "2023-11-30")]},
     rows=[row("2023-02", 1, "Gamma", 1, "G1", 0, 0, 0, 0, "0.00", None),
           row("2024-02", 1, "Gamma", 1, "G1", 1, 1000, 2, 1500, "500.00", "750.00")],
     data_quality=[quality("2023-02", 0, 0), quality("2024-02", 2, 2)],
     files={"bank_name=Gamma/year=2023/month=02/Gamma_20230228.csv":
            HEADER + "Gamma,1,G1,2023-02,0,0,0,0,0.00,\n",
            "bank_name=Gamma/year=2024/month=02/Gamma_20240229.csv":
            HEADER + "Gamma,1,G1,2024-02,1,1000,2,1500,500.00,750.00\n"})

# 5. Every data-quality rule, a branch with no loans, a bank with no branches.
case("data_quality",
     "NULL amount/date, orphans at each join, a branch without loans, a bank without branches",
     ["2026-03"],
     {"bank": [bank(1, "Delta Bank"), bank(2, "Empty Bank")],
      "branch": [branch(1, 1, "D1"), branch(2, 1, "D2 no loans"), branch(3, None, "no bank"),
                 branch(4, 9, "missing bank")],
      "client": [client(1, 1), client(2, 3), client(3, 4), client(4, None), client(5, 77)],
      "account": [account(1, 1), account(2, 2), account(3, 3), account(4, 4), account(5, 5),
                  account(6, None), account(7, 88)],
      "loans": [loan(1, 100, 1, "2026-03-10"),
                loan(2, None, 1, "2026-03-10"),     # null_amount
                loan(3, 50, 1, None),               # null_loan_date
                loan(4, None, 1, None),             # null_amount (the first rule wins)
                loan(5, 10, None, "2026-03-10"),    # orphan_account: no account id
                loan(6, 10, 99, "2026-03-10"),      # orphan_account: unknown account
                loan(7, 10, 6, "2026-03-10"),       # orphan_client: account without client
                loan(8, 10, 7, "2026-03-10"),       # orphan_client: unknown client
                loan(9, 10, 4, "2026-03-10"),       # orphan_branch: client without branch
                loan(10, 10, 5, "2026-03-10"),      # orphan_branch: unknown branch
                loan(11, 10, 2, "2026-03-10"),      # orphan_bank: branch without bank
                loan(12, 10, 3, "2026-03-10"),      # orphan_bank: unknown bank
                loan(13, None, 1, "2025-06-01"),    # outside the window: not counted at all
                loan(14, 10, 99, "2025-06-01")]},   # outside the window: not counted at all
     rows=[row("2026-03", 1, "Delta Bank", 1, "D1", 1, 100, 1, 100, "33.33", "100.00"),
           row("2026-03", 1, "Delta Bank", 2, "D2 no loans", 0, 0, 0, 0, "0.00", None)],
     data_quality=[quality("2026-03", 12, 1, null_amount=2, null_loan_date=1, orphan_account=2,
                           orphan_client=2, orphan_branch=2, orphan_bank=2)],
     files={"bank_name=DeltaBank/year=2026/month=03/DeltaBank_20260331.csv":
            HEADER + "Delta Bank,1,D1,2026-03,1,100,1,100,33.33,100.00\n"
            + "Delta Bank,2,D2 no loans,2026-03,0,0,0,0,0.00,\n",
            "bank_name=EmptyBank/year=2026/month=03/EmptyBank_20260331.csv": HEADER})

# 6. Quoting and tokens: commas, quotes, CR/LF, empty and NULL addresses, non-ASCII text.
HSB = 'Harbour Savings, "The Community Bank"'
HSB_Q = '"Harbour Savings, ""The Community Bank"""'
case("quoting",
     "fields with commas, quotes and line breaks; empty vs NULL address; non-ASCII names and tokens",
     ["2026-03"],
     {"bank": [bank(1, HSB), bank(2, "Plain"), bank(3, "Société Générale")],
      "branch": [branch(1, 1, "Unit 4\nHarbour Mall"), branch(2, 1, 'Says "hi"'), branch(3, 1, "a,b"),
                 branch(4, 1, "line\r\nbreak"), branch(5, 1, ""), branch(6, 1, None),
                 branch(7, 2, " spaced  "), branch(8, 2, "Ünïcødé straße"), branch(9, 3, "Paris")],
      "client": [], "account": [], "loans": []},
     rows=[row("2026-03", 1, HSB, 1, "Unit 4\nHarbour Mall", 0, 0, 0, 0, "0.00", None),
           row("2026-03", 1, HSB, 2, 'Says "hi"', 0, 0, 0, 0, "0.00", None),
           row("2026-03", 1, HSB, 3, "a,b", 0, 0, 0, 0, "0.00", None),
           row("2026-03", 1, HSB, 4, "line\r\nbreak", 0, 0, 0, 0, "0.00", None),
           row("2026-03", 1, HSB, 5, "", 0, 0, 0, 0, "0.00", None),
           row("2026-03", 1, HSB, 6, None, 0, 0, 0, 0, "0.00", None),
           row("2026-03", 2, "Plain", 7, " spaced  ", 0, 0, 0, 0, "0.00", None),
           row("2026-03", 2, "Plain", 8, "Ünïcødé straße", 0, 0, 0, 0, "0.00", None),
           row("2026-03", 3, "Société Générale", 9, "Paris", 0, 0, 0, 0, "0.00", None)],
     data_quality=[quality("2026-03", 0, 0)],
     files={"bank_name=HarbourSavingsTheCommunityBank/year=2026/month=03/HarbourSavingsTheCommunityBank_20260331.csv":
            HEADER
            + HSB_Q + ',1,"Unit 4\nHarbour Mall",2026-03,0,0,0,0,0.00,\n'
            + HSB_Q + ',2,"Says ""hi""",2026-03,0,0,0,0,0.00,\n'
            + HSB_Q + ',3,"a,b",2026-03,0,0,0,0,0.00,\n'
            + HSB_Q + ',4,"line\r\nbreak",2026-03,0,0,0,0,0.00,\n'
            + HSB_Q + ",5,,2026-03,0,0,0,0,0.00,\n"
            + HSB_Q + ",6,,2026-03,0,0,0,0,0.00,\n",
            "bank_name=Plain/year=2026/month=03/Plain_20260331.csv":
            HEADER + "Plain,7, spaced  ,2026-03,0,0,0,0,0.00,\n"
            + "Plain,8,Ünïcødé straße,2026-03,0,0,0,0,0.00,\n",
            "bank_name=SocitGnrale/year=2026/month=03/SocitGnrale_20260331.csv":
            HEADER + "Société Générale,9,Paris,2026-03,0,0,0,0,0.00,\n"})


# 7. Rounding: thirds, ties (x.xx5) both signs, a negative average that rounds to zero.
def rounding_case():
    branches, clients, accounts, loans = [], [], [], []
    next_loan = [1]

    def branch_with(i, amounts):
        branches.append(branch(i, 1, f"R{i}"))
        clients.append(client(i, i))
        accounts.append(account(i, i))
        for amount in amounts:
            loans.append(loan(next_loan[0], amount, i, "2026-03-15"))
            next_loan[0] += 1

    branch_with(1, [1])                    # 1/3 = 0.333.. -> 0.33
    branch_with(2, [2])                    # 2/3 = 0.666.. -> 0.67
    branch_with(3, [-1])                   # -0.33
    branch_with(4, [-2])                   # -0.67
    branch_with(5, [1] + [0] * 7)          # avg 1/8 = 0.125 -> 0.13 (tie, away from zero)
    branch_with(6, [-1] + [0] * 7)         # avg -0.125 -> -0.13
    branch_with(7, [-1] + [0] * 299)       # avg -1/300 = -0.0033 -> 0.00, never -0.00
    branch_with(8, [1] + [0] * 199)        # avg 1/200 = 0.005 -> 0.01 (tie)
    branch_with(9, [5, 0])                 # ma 5/3 = 1.666.. -> 1.67, avg 2.50
    branch_with(10, [5, -5])               # sum 0: 0.00 and 0.00
    branch_with(11, [5] + [0] * 7)         # avg 0.625 -> 0.63
    branch_with(12, [-5] + [0] * 7)        # avg -0.625 -> -0.63
    expected = [  # branch, count, sum, moving average, average size
        (1, 1, 1, "0.33", "1.00"), (2, 1, 2, "0.67", "2.00"), (3, 1, -1, "-0.33", "-1.00"),
        (4, 1, -2, "-0.67", "-2.00"), (5, 8, 1, "0.33", "0.13"), (6, 8, -1, "-0.33", "-0.13"),
        (7, 300, -1, "-0.33", "0.00"), (8, 200, 1, "0.33", "0.01"), (9, 2, 5, "1.67", "2.50"),
        (10, 2, 0, "0.00", "0.00"), (11, 8, 5, "1.67", "0.63"), (12, 8, -5, "-1.67", "-0.63")]
    rows = [row("2026-03", 1, "Round Bank", b, f"R{b}", n, s, n, s, ma, avg) for b, n, s, ma, avg in expected]
    text = HEADER + "".join(f"Round Bank,{b},R{b},2026-03,{n},{s},{n},{s},{ma},{avg}\n" for b, n, s, ma, avg in expected)
    case("rounding",
         "two decimals, half away from zero: thirds, ties of both signs, negative values rounding to zero",
         ["2026-03"],
         {"bank": [bank(1, "Round Bank")], "branch": branches, "client": clients, "account": accounts, "loans": loans},
         rows=rows, data_quality=[quality("2026-03", len(loans), len(loans))],
         files={"bank_name=RoundBank/year=2026/month=03/RoundBank_20260331.csv": text})


rounding_case()

# 8. Sums beyond 32 bits (and beyond 2^33), with a tie in the average.
case("large_sums",
     "sums and control totals beyond 32 bits; extreme int32 amounts",
     ["2026-03"],
     {"bank": [bank(1, "Big Bank")], "branch": [branch(1, 1, "Vault"), branch(2, 1, "Max")],
      "client": [client(1, 1), client(2, 2)], "account": [account(1, 1), account(2, 2)],
      "loans": [loan(1, 2000000000, 1, "2026-03-01"), loan(2, 2000000000, 1, "2026-03-02"),
                loan(3, 2000000000, 1, "2026-03-03"), loan(4, 2147483647, 1, "2026-01-05"),
                loan(5, 2147483647, 1, "2026-01-06")]
               + [loan(10 + i, 2147483647, 2, "2026-02-10") for i in range(7)]
               + [loan(20, -2147483648, 2, "2026-03-20")]},
     # Vault: 3 x 2e9 in March + 2 x 2147483647 in January = 10294967294 over 5 loans.
     # Max: 7 x 2147483647 - 2147483648 = 12884901881 over 8 loans; /8 = 1610612735.125 (a tie).
     rows=[row("2026-03", 1, "Big Bank", 1, "Vault", 3, 6000000000, 5, 10294967294, "3431655764.67", "2058993458.80"),
           row("2026-03", 1, "Big Bank", 2, "Max", 1, -2147483648, 8, 12884901881, "4294967293.67", "1610612735.13")],
     data_quality=[quality("2026-03", 13, 13)],
     files={"bank_name=BigBank/year=2026/month=03/BigBank_20260331.csv":
            HEADER + "Big Bank,1,Vault,2026-03,3,6000000000,5,10294967294,3431655764.67,2058993458.80\n"
            + "Big Bank,2,Max,2026-03,1,-2147483648,8,12884901881,4294967293.67,1610612735.13\n"})

# 9. Two banks with one token: the run fails before anything is published, naming both.
case("token_collision",
     "'Bank A' and 'Bank-A' both give the token BankA",
     ["2026-03"],
     {"bank": [bank(1, "Bank A"), bank(2, "Bank-A"), bank(3, "Other")],
      "branch": [branch(1, 1, "x"), branch(2, 2, "y"), branch(3, 3, "z")],
      "client": [], "account": [], "loans": []},
     error={"kind": "token_collision", "message_contains": ["Bank A", "Bank-A"]})

# 10. A name with no letter or digit: the run fails before anything is published, naming it.
case("empty_token",
     "a bank named '!!!' has an empty token",
     ["2026-03"],
     {"bank": [bank(1, "!!!"), bank(2, "Fine")], "branch": [branch(1, 2, "x")],
      "client": [], "account": [], "loans": []},
     error={"kind": "empty_token", "message_contains": ["!!!"]})


def write(case_data):
    folder = ROOT / case_data["name"]
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "expected").mkdir(parents=True)

    def dump(path, value):
        path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    dump(folder / "case.json", {"description": case_data["description"], "months": case_data["months"],
                                "error": case_data["error"]})
    ods = {table: case_data["ods"].get(table, []) for table in ("bank", "branch", "client", "account", "loans")}
    dump(folder / "ods.json", ods)
    if case_data["error"] is None:
        dump(folder / "expected" / "rows.json", case_data["rows"])
        dump(folder / "expected" / "data_quality.json", case_data["data_quality"])
        for key, text in case_data["files"].items():
            path = folder / "expected" / "files" / key
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))


if __name__ == "__main__":
    for c in CASES:
        write(c)
    print(f"wrote {len(CASES)} cases under {ROOT}")
