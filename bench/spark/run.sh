#!/usr/bin/env bash
# Spark reference for Kiln's TPC-H numbers: builds this standalone project (mvn -q package) and runs
# io.kiln.bench.spark.SparkTpch on Spark local[2] over Kiln's Parquet files and query texts (tpch/).
#
#   bench/spark/run.sh DATA_DIR [RUNS] [QUERIES] [--expect-sf1] [--sql DIR] [--shuffle-partitions N]
#
# e.g. bench/spark/run.sh data/sf1 3 all   (DATA_DIR is relative to where you run it)
# Heap: SPARK_BENCH_HEAP (default -Xmx12g, as Kiln's README gives Kiln). Extra JVM flags: JAVA_OPTS.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# the build's output goes to stderr, so stdout holds only the results table
mvn -q -B -Dstyle.color=never -f "$here/pom.xml" package >&2
# local[2] needs no network: bind to loopback (also silences Spark's hostname warning)
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"

# The JVM flags spark-submit adds on Java 17 (org.apache.spark.launcher.JavaModuleOptions, Spark 4.0).
spark_jvm_flags=(
  -XX:+IgnoreUnrecognizedVMOptions
  --add-modules=jdk.incubator.vector
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false
  -Dio.netty.tryReflectionSetAccessible=true
)

# shellcheck disable=SC2086 # JAVA_OPTS and SPARK_BENCH_HEAP are word lists
exec java ${SPARK_BENCH_HEAP:--Xmx12g} "${spark_jvm_flags[@]}" ${JAVA_OPTS:-} \
  -Dkiln.tpch.sql="$here/../../tpch" \
  -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
  io.kiln.bench.spark.SparkTpch "$@"
