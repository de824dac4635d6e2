package io.kiln.sql;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.testing.SqlScript;
import io.kiln.testing.SuiteSessions;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The large differential corpus ({@link LargeDifferentialSuite}) on a cluster of two worker
 * processes of one slot each: every query interpreted with every join a shuffle join and compiled
 * with small build sides broadcast. Closing the sessions stops the workers, which must exit
 * cleanly and leave no files.
 *
 * <p>The whole corpus takes about 12 minutes on 2 cores, so by default only {@link #SUBSET} runs
 * (about 2 minutes); the {@code heavy} Maven profile ({@code -Pheavy}, or {@code -Dkiln.heavy=true})
 * runs every query.
 */
class ClusterLargeDifferentialTest extends LargeDifferentialSuite {
  /**
   * A query or two of each shape: global and grouped aggregation over low, skewed and high
   * cardinality keys, strings, dates and mostly NULL columns; inner, outer, semi, anti, NOT IN
   * and residual joins, small and large build sides, three tables; DISTINCT, UNION, INTERSECT
   * and EXCEPT, ordered and not.
   */
  static final Set<String> SUBSET = Set.of(
      "big_sums_every_numeric_type", "big_group_by_two_keys", "big_skewed_group_by_having",
      "big_group_by_short_strings_folded", "big_group_by_date_folded", "big_aggregates_of_mostly_null_columns",
      "big_aggregates_filtered_to_nothing",
      "join_full_skewed_folded", "join_with_residual_condition", "left_join_with_residual_condition",
      "join_on_dates_small_build", "join_small_build_side", "join_big_on_dim_build_direction",
      "join_left_ordered_window", "semi_join_skewed_keys", "anti_join_not_in_with_null_in_subquery",
      "join_three_tables",
      "distinct_low_cardinality", "distinct_two_columns_folded", "union_high_cardinality",
      "intersect_two_columns_with_nulls", "intersect_ordered_prefix", "except_dim_minus_big");

  @Override
  SuiteSessions openSessions() {
    return SuiteSessions.onCluster(2, 1, "1g");
  }

  @Override
  List<String> configurations(SqlScript.Query query) {
    return List.copyOf(sessions().names());
  }

  @Override
  Predicate<SqlScript.Query> selected() {
    return Boolean.getBoolean("kiln.heavy") ? q -> true : q -> SUBSET.contains(q.name());
  }

  @Test
  void subsetNamesQueriesOfTheCorpus() {
    Set<String> names = LargeDifferentialTables.allQueries().stream().map(SqlScript.Query::name)
        .collect(Collectors.toSet());
    assertTrue(names.containsAll(SUBSET), () -> "not in the corpus: "
        + SUBSET.stream().filter(n -> !names.contains(n)).sorted().toList());
  }
}
