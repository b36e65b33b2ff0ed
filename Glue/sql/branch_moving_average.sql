-- The business logic of the monthly loan extract (../shared/extract-spec.md), written once.
--
-- Executed unchanged by Spark SQL in the Glue job (Glue/etl.py) and by DuckDB in the local
-- engine (src/ExtractPortal.Pipeline). Both hosts read this file as a list of named views:
-- every "-- @view <name>" line starts the SELECT that defines <name>; the host registers the
-- views in order (Spark: createOrReplaceTempView, DuckDB: CREATE TEMP VIEW) and then reads
--   SELECT * FROM branch_moving_average ORDER BY month, bank_id, branch_id
--   SELECT * FROM loan_data_quality     ORDER BY month
-- Views other than those two are intermediate: a host may materialize them once (DuckDB: a temp
-- table; Spark: cache()), since both results read them.
--
-- Inputs the host registers before running it:
--   bank, branch, client, account, loans   the ODS tables (ods-schema.sql); loans may be limited
--                                           to the union of the windows plus loans with a NULL
--                                           loan_date (the host pushes that predicate down)
--   extract_params                          one row per extract month M:
--       month        VARCHAR  'YYYY-MM'
--       month_start  DATE     first day of M
--       window_start DATE     first day of M-2 (the 3-month window starts here, inclusive)
--       window_end   DATE     first day of M+1 (exclusive)
--
-- Portable subset only: CTEs, joins, GROUP BY, CASE, CAST, ABS, FLOOR. No engine-specific
-- functions, no string formatting of parameters.

-- @view classified_loans
-- Every loan followed to its branch and bank, with the reason it must be left out (NULL when it
-- counts). The first failing rule wins, so each loan is counted under exactly one reason.
SELECT
    l.idloan,
    CAST(l.amount AS BIGINT) AS amount,
    l.loan_date,
    br.idbranch AS branch_id,
    CASE
        WHEN l.amount IS NULL THEN 'null_amount'
        WHEN l.loan_date IS NULL THEN 'null_loan_date'
        WHEN a.idaccount IS NULL THEN 'orphan_account'
        WHEN c.idclient IS NULL THEN 'orphan_client'
        WHEN br.idbranch IS NULL THEN 'orphan_branch'
        WHEN b.idbank IS NULL THEN 'orphan_bank'
    END AS exclusion_reason
FROM loans l
LEFT JOIN account a ON a.idaccount = l.account_idaccount
LEFT JOIN client c ON c.idclient = a.client_idclient
LEFT JOIN branch br ON br.idbranch = c.branch_idbranch
LEFT JOIN bank b ON b.idbank = br.bank_idbank;

-- @view branch_moving_average
WITH branch_window_totals AS (
    -- The branch's loans in the window (M-2 .. M) and in M alone, per extract month.
    SELECT
        p.month,
        cl.branch_id,
        SUM(CASE WHEN cl.loan_date >= p.month_start THEN 1 ELSE 0 END) AS loan_count,
        SUM(CASE WHEN cl.loan_date >= p.month_start THEN cl.amount ELSE 0 END) AS loan_amount,
        COUNT(*) AS loan_count_3m,
        SUM(cl.amount) AS loan_amount_3m
    FROM extract_params p
    JOIN classified_loans cl
      ON cl.loan_date >= p.window_start
     AND cl.loan_date < p.window_end
    WHERE cl.exclusion_reason IS NULL
    GROUP BY p.month, cl.branch_id
),
branch_rows AS (
    -- Every branch of every bank, for every extract month: branches without loans get zeros.
    SELECT
        p.month,
        b.idbank AS bank_id,
        b.name AS bank_name,
        br.idbranch AS branch_id,
        br.address AS branch_address,
        CAST(COALESCE(t.loan_count, 0) AS BIGINT) AS loan_count,
        CAST(COALESCE(t.loan_amount, 0) AS BIGINT) AS loan_amount,
        CAST(COALESCE(t.loan_count_3m, 0) AS BIGINT) AS loan_count_3m,
        CAST(COALESCE(t.loan_amount_3m, 0) AS BIGINT) AS loan_amount_3m
    FROM extract_params p
    CROSS JOIN branch br
    JOIN bank b ON b.idbank = br.bank_idbank
    LEFT JOIN branch_window_totals t
      ON t.month = p.month
     AND t.branch_id = br.idbranch
),
divisions AS (
    -- The two averages as division problems (numerator / denominator, denominator > 0):
    --   moving_avg = loan_amount_3m / 3 (months without loans count as 0)
    --   avg_size   = loan_amount_3m / loan_count_3m (no value when the window has no loans)
    SELECT month, branch_id, 'moving_avg' AS measure, loan_amount_3m AS numerator,
           CAST(3 AS BIGINT) AS denominator
    FROM branch_rows
    UNION ALL
    SELECT month, branch_id, 'avg_size' AS measure, loan_amount_3m AS numerator,
           loan_count_3m AS denominator
    FROM branch_rows
    WHERE loan_count_3m > 0
),
half_up_problems AS (
    -- Rounding |n| / d to cents, half away from zero, is floor((200*|n| + d) / (2*d)) cents.
    -- Exact integers in DECIMAL(38,0): the engines disagree on what "/" returns (DuckDB gives
    -- DOUBLE), so the quotient is estimated in DOUBLE and then corrected exactly below.
    SELECT
        month, branch_id, measure,
        CASE WHEN numerator < 0 THEN -1 ELSE 1 END AS sign,
        CAST(ABS(numerator) AS DECIMAL(38,0)) * 200 + denominator AS x,
        CAST(denominator AS DECIMAL(38,0)) * 2 AS d
    FROM divisions
),
quotient_estimate AS (
    SELECT month, branch_id, measure, sign, x, d,
           CAST(FLOOR(CAST(x AS DOUBLE) / CAST(d AS DOUBLE)) AS DECIMAL(38,0)) AS q0
    FROM half_up_problems
),
quotient_refined AS (
    -- One refinement from the exact remainder brings the estimate within 1 of floor(x / d)
    -- for any x / d below 10^30.
    SELECT month, branch_id, measure, sign, x, d,
           q0 + CAST(FLOOR(CAST(x - q0 * d AS DOUBLE) / CAST(d AS DOUBLE)) AS DECIMAL(38,0)) AS q1
    FROM quotient_estimate
),
rounded AS (
    -- The last step is exact: 0 <= x - q * d < d. Cents times 0.01 is an exact DECIMAL(38,2),
    -- and a value that rounds to zero is 0.00, never -0.00 (decimals have no negative zero).
    SELECT month, branch_id, measure,
           CAST(sign * (q1 + CASE WHEN x - q1 * d < 0 THEN -1
                                  WHEN x - q1 * d >= d THEN 1
                                  ELSE 0 END) AS DECIMAL(38,0))
               * CAST(0.01 AS DECIMAL(3,2)) AS value
    FROM quotient_refined
)
SELECT
    r.month,
    r.bank_id,
    r.bank_name,
    r.branch_id,
    r.branch_address,
    r.loan_count,
    r.loan_amount,
    r.loan_count_3m,
    r.loan_amount_3m,
    CAST(ma.value AS DECIMAL(38,2)) AS moving_avg_loan_amount_3m,
    CAST(av.value AS DECIMAL(38,2)) AS avg_loan_amount_3m
FROM branch_rows r
JOIN rounded ma
  ON ma.month = r.month AND ma.branch_id = r.branch_id AND ma.measure = 'moving_avg'
LEFT JOIN rounded av
  ON av.month = r.month AND av.branch_id = r.branch_id AND av.measure = 'avg_size';

-- @view loan_data_quality
-- Per extract month: the loans read for its window, how many count, and every loan left out by
-- reason. Loans without a loan_date belong to no month, so every month reports them.
SELECT
    p.month,
    CAST(COUNT(cl.idloan) AS BIGINT) AS loans_read,
    CAST(SUM(CASE WHEN cl.idloan IS NOT NULL AND cl.exclusion_reason IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS loans_used,
    CAST(SUM(CASE WHEN cl.exclusion_reason = 'null_amount' THEN 1 ELSE 0 END) AS BIGINT) AS null_amount,
    CAST(SUM(CASE WHEN cl.exclusion_reason = 'null_loan_date' THEN 1 ELSE 0 END) AS BIGINT) AS null_loan_date,
    CAST(SUM(CASE WHEN cl.exclusion_reason = 'orphan_account' THEN 1 ELSE 0 END) AS BIGINT) AS orphan_account,
    CAST(SUM(CASE WHEN cl.exclusion_reason = 'orphan_client' THEN 1 ELSE 0 END) AS BIGINT) AS orphan_client,
    CAST(SUM(CASE WHEN cl.exclusion_reason = 'orphan_branch' THEN 1 ELSE 0 END) AS BIGINT) AS orphan_branch,
    CAST(SUM(CASE WHEN cl.exclusion_reason = 'orphan_bank' THEN 1 ELSE 0 END) AS BIGINT) AS orphan_bank
FROM extract_params p
LEFT JOIN classified_loans cl
  ON (cl.loan_date >= p.window_start AND cl.loan_date < p.window_end)
  OR cl.loan_date IS NULL
GROUP BY p.month;
