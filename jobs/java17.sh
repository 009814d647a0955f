# Sourced by the launchers: Java 17 (Spark 3.5's Hadoop client fails on newer JDKs) and the module
# openings Spark needs on it, read from the pom's spark.add.opens (Spark's JavaModuleOptions).
# shellcheck shell=bash
if [ -d /usr/lib/jvm/java-17-openjdk-amd64 ]; then
  export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
  export PATH="$JAVA_HOME/bin:$PATH"
fi
SPARK_OPENS=$(sed -n 's:.*<spark.add.opens>\(.*\)</spark.add.opens>.*:\1:p' pom.xml)
export SPARK_OPENS
