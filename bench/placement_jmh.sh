#!/usr/bin/env bash
# Placement decisions per second and latency percentiles (JMH) with 100,000 queued runs over 500
# partitions. Usage: bench/placement_jmh.sh [JMH options]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp install -DskipTests -pl platform/scheduler,platform/simulator -am
cd platform/simulator
../../mvnw -q -B -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" org.openjdk.jmh.Main PlacementBenchmark "$@"
