package io.kiln.observe;

import java.util.List;
import java.util.Optional;

/**
 * What a dashboard shows, from whoever runs queries (the scheduler, an embedded session): read at
 * every page load and every live update, so each call returns a fresh snapshot.
 */
public interface DashboardSource {
  /** The processes that run tasks. */
  List<WorkerView> workers();

  /** Running queries first, then the ones that ended, newest first. */
  List<QueryView> queries();

  Optional<QueryView> query(String id);

  /** Asks a running query to stop; false if no running query has that id. */
  boolean cancel(String id);
}
