-- Scalar functions by DuckDB's names: strings, regular expressions, numbers, dates and times, on
-- every row of t (NULL-heavy columns) so NULLs, empty strings and negative counts come through.

-- name: fn_replace_strpos_contains
SELECT id, replace(s, 'a', 'AA') AS r, replace(s, '', 'x') AS r0, strpos(s, 'a') AS p, position('e' IN s) AS p2,
  instr(s, 'ta') AS p3, contains(s, '_') AS c, starts_with(s, 'Be') AS sw, ends_with(s, '1') AS ew
FROM t ORDER BY id;

-- name: fn_pad_split_left_right
SELECT id, lpad(s, 6, '*') AS lp, rpad(s, 7, 'xy') AS rp, lpad(s, 2, '-') AS cut, split_part(s, 'a', 2) AS sp,
  split_part(s, '_', -1) AS sp_last, split_part(g, 'g', 5) AS sp_out, left(s, 3) AS l3, right(s, 2) AS r2,
  left(s, -2) AS l_neg, right(s, -1) AS r_neg
FROM t ORDER BY id;

-- name: fn_reverse_repeat
SELECT id, reverse(s) AS rv, repeat(g, 3) AS rp, repeat(g, 0) AS r0, repeat(s, -2) AS rneg FROM t ORDER BY id;

-- name: fn_regexp
SELECT id, regexp_matches(s, '^[a-z]+[0-9]$') AS m, regexp_replace(s, '[aeiou]', '_') AS first_vowel,
  regexp_replace(s, '[aeiou]', '_', 'g') AS all_vowels, regexp_replace(s, '([a-z])([0-9])', '\2\1') AS swapped,
  regexp_extract(s, '[0-9]+') AS digits, regexp_extract(s, '([a-zA-Z]+)_([a-z]+)', 2) AS after_underscore
FROM t ORDER BY id;

-- name: fn_math
SELECT id, power(ii, 2) AS p2, sqrt(abs(d)) AS sq, ln(abs(ii) + 1) AS l, log10(abs(bi) + 1) AS l10,
  exp(r) AS e, sign(ii) AS sgn_i, sign(d) AS sgn_d, sign(dec) AS sgn_dec, mod(k, 3) AS m
FROM t ORDER BY id;

-- name: fn_greatest_least_skip_nulls
SELECT id, greatest(ii, si, ti) AS gi, least(ii, si, ti) AS li, greatest(s, g) AS gs, least(dt, DATE '2021-01-01') AS ld,
  greatest(dec, sd) AS gd
FROM t ORDER BY id;

-- name: fn_date_trunc
SELECT id, date_trunc('month', dt) AS m, date_trunc('year', dt) AS y, date_trunc('quarter', dt) AS q,
  date_trunc('week', dt) AS w, date_trunc('hour', ts) AS h, date_trunc('minute', ts) AS mi, date_trunc('day', ts) AS d
FROM t ORDER BY id;

-- name: fn_date_part_and_extract
SELECT id, date_part('dow', dt) AS dow, date_part('isodow', dt) AS isodow, date_part('doy', dt) AS doy,
  date_part('week', dt) AS wk, extract(hour FROM ts) AS h, extract(minute FROM ts) AS mi, extract(second FROM ts) AS s,
  extract(decade FROM dt) AS dec_, extract(century FROM dt) AS c, date_part('yearweek', dt) AS yw,
  date_part('isoyear', dt) AS iy, extract(epoch FROM ts) AS ep
FROM t ORDER BY id;

-- name: fn_date_diff
SELECT id, date_diff('day', dt, DATE '2021-06-15') AS dd, date_diff('month', dt, DATE '2021-06-15') AS dm,
  datediff('year', DATE '2019-12-31', dt) AS dy, date_diff('quarter', dt, DATE '2020-01-01') AS dq,
  date_diff('week', dt, DATE '2021-06-15') AS dw, date_diff('hour', ts, TIMESTAMP '2021-03-05 00:00:00') AS dh,
  date_diff('minute', TIMESTAMP '2021-03-04 00:00:00', ts) AS dmi
FROM t ORDER BY id;

-- name: fn_make_date_last_day
SELECT id, make_date(2020, CAST(k AS BIGINT) + 1, 28) AS md, last_day(dt) AS ld, last_day(ts) AS ldt FROM t ORDER BY id;

-- name: fn_strftime
SELECT id, strftime(dt, '%Y/%m/%d') AS f1, strftime(ts, '%d.%m.%y %H:%M:%S') AS f2,
  strftime(dt, '%a %A %b %B %j') AS f3, strftime(ts, '%I %p') AS f4
FROM t ORDER BY id;

-- name: fn_strptime_round_trip
SELECT id, strptime(strftime(ts, '%Y-%m-%d %H:%M:%S'), '%Y-%m-%d %H:%M:%S') = date_trunc('second', ts) AS same,
  strptime(strftime(dt, '%d/%m/%Y'), '%d/%m/%Y') AS back
FROM t ORDER BY id;

-- name: fn_current_date_is_today_enough
SELECT current_date >= DATE '2024-01-01' AS recent, current_timestamp >= TIMESTAMP '2024-01-01 00:00:00' AS ts_recent,
  CAST(now() AS DATE) = current_date AS same_day;

-- name: fn_date_add
SELECT id, date_add(dt, INTERVAL 1 MONTH) AS m, date_add(dt, INTERVAL 3 DAY) AS d, date_add(dt, 10) AS n,
  date_add(ts, INTERVAL 5 DAY) AS h, date_add(dt, -400) AS back
FROM t ORDER BY id;

-- name: fn_date_sub_whole_parts
SELECT id, date_sub('month', dt, DATE '2022-02-28') AS mo, date_sub('year', DATE '2019-06-15', dt) AS y,
  date_sub('day', dt, ts) AS d, date_sub('hour', ts, TIMESTAMP '2022-01-01 00:00:00') AS h,
  date_sub('quarter', dt, DATE '2018-12-31') AS q, date_sub('week', dt, DATE '2021-01-01') AS w
FROM t ORDER BY id;

-- name: fn_date_sub_month_ends
SELECT date_sub('month', DATE '2020-01-31', DATE '2020-02-29') AS a, date_sub('month', DATE '2020-01-30', DATE '2020-02-28') AS b,
  date_sub('month', DATE '2020-03-31', DATE '2020-02-29') AS c, date_sub('month', DATE '2020-01-15', DATE '2020-03-14') AS e,
  date_sub('year', DATE '2020-02-29', DATE '2021-02-28') AS f,
  date_sub('month', TIMESTAMP '2020-01-31 12:00:00', TIMESTAMP '2020-02-29 11:00:00') AS g;
