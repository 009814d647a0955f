# Sourced by the launchers, the bench scripts and jobs/test.sh: Java 17 (Spark 3.5's Hadoop client
# fails on newer JDKs; a JAVA_HOME that already is a 17 is kept) and the module openings Spark needs
# on it, read from the pom's spark.add.opens (Spark's JavaModuleOptions).
# shellcheck shell=bash
if ! grep -qs '^JAVA_VERSION="17' "${JAVA_HOME:-/nonexistent}/release" \
    && [ -d /usr/lib/jvm/java-17-openjdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
fi
if [ -n "${JAVA_HOME:-}" ]; then
  export PATH="$JAVA_HOME/bin:$PATH"
fi
SPARK_OPENS=$(sed -n 's:.*<spark.add.opens>\(.*\)</spark.add.opens>.*:\1:p' pom.xml 2>/dev/null || true)
# and the options that let children give memory back to jemalloc's OS pages (the pom's native.access)
NATIVE_ACCESS=$(sed -n 's:.*<native.access>\(.*\)</native.access>.*:\1:p' pom.xml 2>/dev/null || true)
export SPARK_OPENS NATIVE_ACCESS
