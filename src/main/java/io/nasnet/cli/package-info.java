/** The command line (picocli): one main class for local runs and spark-submit. */
package io.nasnet.cli;
