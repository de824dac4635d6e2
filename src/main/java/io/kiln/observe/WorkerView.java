package io.kiln.observe;

/** One process that runs tasks, as the dashboard's cluster page shows it. */
public record WorkerView(String id, String address, int slots, int tasksRunning, long heartbeatAgeMillis,
    long memoryBytes, boolean draining) {}
