#!/usr/bin/env bash
# Reproduces the README's benchmark tables. Not part of `mvn verify`: benchmarks never gate the build.
#   src-it/bench.sh            everything (about 30 minutes on 2 cores)
#   src-it/bench.sh jmh        decision path, local store and 2-member Hazelcast (JMH, with -prof gc)
#   src-it/bench.sh http       HTTP overhead against bare Jetty, DoSFilter and a naive Bucket4j filter (wrk)
#   src-it/bench.sh isolation  critical latency under a flood, with and without isolation
#   src-it/bench.sh demo-isolation  the demo shop's /api/orders under a /api/logs flood, with and without isolation
#   src-it/bench.sh accuracy   admitted requests over a limit across 3 instances
#   src-it/bench.sh memory     memory per key, local and in the grid
# Results go to stdout as Markdown tables; progress goes to stderr. All traffic stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"

if [[ "$what" == all || "$what" == http ]] && ! command -v wrk >/dev/null; then
  if [[ $(id -u) -eq 0 ]]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; else sudo apt-get install -y wrk; fi
fi

# package, not install: the demo WAR is built in demo-war/target, and nothing leaves the tree.
mvn -B -q -pl src-it -am package dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test -DskipTests >&2
cp="src-it/target/test-classes:filter/target/classes:jaxrs-feature/target/classes:$(cat src-it/target/bench.classpath)"
java_run() { java -Xmx2g -cp "$cp" "$@"; }

if [[ "$what" == all || "$what" == jmh ]]; then
  echo "## Decision path (JMH, ns/op and bytes/op)"
  java_run org.openjdk.jmh.Main 'dev.sluice.bench.(DecisionPath|GridDecision)Benchmark' -prof gc -rf csv -rff src-it/target/jmh.csv >&2
  echo "| benchmark | score | unit |"
  echo "|---|---|---|"
  awk -F, 'NR>1 { name=$1; gsub(/"/,"",name); sub(/^dev\.sluice\.bench\./,"",name); unit=$7; gsub(/"/,"",unit);
    if (name !~ /:/ || name ~ /gc\.alloc\.rate\.norm$/) printf "| %s | %.1f | %s |\n", name, $5, unit }' src-it/target/jmh.csv
fi
if [[ "$what" == all || "$what" == http ]]; then
  echo "## HTTP overhead (wrk, 16 connections, 10,000 API keys)"
  java_run dev.sluice.bench.HttpOverheadBench
fi
if [[ "$what" == all || "$what" == isolation ]]; then
  echo "## Isolation"
  java_run dev.sluice.it.isolation.IsolationBench
fi
if [[ "$what" == all || "$what" == demo-isolation ]]; then
  echo "## Isolation in the demo shop"
  java_run -Dit.demo.war="$PWD/demo-war/target/sluice-demo.war" \
    -Dit.demo.jetty.classpath="$(cat src-it/target/jetty.classpath):$PWD/src-it/target/test-classes" \
    dev.sluice.bench.DemoIsolationBench
fi
if [[ "$what" == all || "$what" == accuracy ]]; then
  echo "## Accuracy across 3 instances"
  java_run dev.sluice.bench.AccuracyBench
fi
if [[ "$what" == all || "$what" == memory ]]; then
  echo "## Memory per key"
  java_run dev.sluice.bench.MemoryBench
fi
