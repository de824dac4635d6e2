package io.kiln.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The board an embedded session feeds: what it lists, in which order, how long it keeps ended queries, cancel. */
class QueryBoardTest {
  private final QueryBoard board = new QueryBoard(2, List::of);

  @Test
  void runningQueriesComeFirstAndShowTheirLiveProgressUntilTheyEnd() {
    QueryBoard.Tracked a = board.start("select 1", "ann", () -> {});
    QueryBoard.Tracked b = board.start("select 2", "bob", () -> {});
    int[] done = {0};
    b.progress(() -> List.of(new StageView(1, "scan", List.of(), done[0], 4, done[0] * 10L, done[0] * 10L, 0)));
    a.ended(QueryOutcomes.SUCCEEDED, "");
    assertEquals(List.of(b.id(), a.id()), board.queries().stream().map(QueryView::id).toList());
    done[0] = 3;
    assertEquals(3, board.query(b.id()).orElseThrow().stages().get(0).tasksDone(), "read live");
    b.explained("plan (rows=30)", "class Pipeline1 {}");
    b.ended(QueryOutcomes.FAILED, "out of memory");
    done[0] = 4;
    QueryView ended = board.query(b.id()).orElseThrow();
    assertEquals(3, ended.stages().get(0).tasksDone(), "as it was when it ended");
    assertEquals("failed", ended.status());
    assertEquals("out of memory", ended.error());
    assertEquals("plan (rows=30)", ended.analyze());
    assertEquals("", ended.summary().analyze());
  }

  @Test
  void keepsOnlyTheNewestEndedQueries() {
    QueryBoard.Tracked running = board.start("select 0", "ann", () -> {});
    for (int i = 1; i <= 4; i++) {
      board.start("select " + i, "ann", () -> {}).ended(QueryOutcomes.SUCCEEDED, "");
    }
    assertEquals(List.of("select 0", "select 4", "select 3"), board.queries().stream().map(QueryView::sql).toList());
    assertTrue(board.query(running.id()).isPresent());
  }

  @Test
  void cancelReachesOnlyARunningQuery() {
    AtomicInteger cancels = new AtomicInteger();
    QueryBoard.Tracked q = board.start("select 1", "ann", cancels::incrementAndGet);
    assertFalse(board.cancel("no-such-query"));
    assertTrue(board.cancel(q.id()));
    q.ended(QueryOutcomes.CANCELLED, "the query was cancelled");
    assertFalse(board.cancel(q.id()), "it has ended");
    assertEquals(1, cancels.get());
  }
}
