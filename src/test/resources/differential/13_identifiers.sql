-- name: quoted_column_names_match_unquoted_ones
SELECT "id", "K" AS "unique", "g" FROM t WHERE "g" = 'g1' AND "k" IS NOT NULL ORDER BY "id";

-- name: quoted_table_alias_and_qualified_columns
SELECT "T"."id", x."uid" FROM t AS "T" JOIN u AS x ON "T"."k" = x."k" WHERE "T"."id" < 20 ORDER BY "T"."id", x."uid";

-- name: quoted_aliases_with_spaces_in_order_and_group_by
SELECT k AS "the key", count(*) AS "row count" FROM t GROUP BY "the key" ORDER BY "the key" NULLS LAST;

-- name: quoted_cte_and_column_list
WITH "Per Group" ("G", "N") AS (SELECT g, count(*) FROM t GROUP BY g) SELECT "g", "n" FROM "Per Group" WHERE "G" IS NOT NULL ORDER BY "G";

-- name: reserved_word_as_quoted_alias
SELECT "order"."select" FROM (SELECT id AS "select" FROM t WHERE id <= 3) AS "order" ORDER BY 1;
