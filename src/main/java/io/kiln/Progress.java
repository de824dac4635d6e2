package io.kiln;

/**
 * How far a session's running queries have got, for a progress display: rows and bytes its scans
 * have read so far (since the session started; on a cluster the workers read, and these stay
 * still), and on a cluster the stages and tasks of its running queries done of all.
 */
public record Progress(long rowsRead, long bytesRead, int stagesDone, int stagesTotal, int tasksDone, int tasksTotal) {}
