package io.nasnet.cli;

import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.client.api.AMRMClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

/**
 * The YARN application a driver in cluster deploy mode runs in. Its ApplicationMaster reports a
 * failed command as FAILED with the reason in YARN's diagnostics, which spark-submit prints to the
 * submitter; and a refusal (a configuration, a command line, a dataset that will be refused again)
 * ends the application at once, instead of leaving YARN to spend a second attempt on it.
 */
final class YarnApplication {

    private YarnApplication() {
    }

    /** Whether this JVM is a driver inside a YARN ApplicationMaster (spark-submit --deploy-mode cluster). */
    static boolean isDriverInApplicationMaster() {
        return "cluster".equals(System.getProperty("spark.submit.deployMode"))
                && System.getProperty("spark.master", "").startsWith("yarn");
    }

    /**
     * Unregisters this attempt's ApplicationMaster as FAILED with {@code diagnostics}: the application
     * ends with them, and YARN starts no other attempt. Spark's own ApplicationMaster leaves a failed
     * attempt registered so that YARN retries it, which a lost driver needs and a refusal does not.
     */
    static void failWithoutRetry(String diagnostics) {
        AMRMClient<AMRMClient.ContainerRequest> client = AMRMClient.createAMRMClient();
        client.init(new YarnConfiguration());
        client.start();
        try {
            client.unregisterApplicationMaster(FinalApplicationStatus.FAILED, diagnostics, null);
        } catch (Exception e) {
            throw new IllegalStateException("could not end the YARN application: " + e.getMessage(), e);
        } finally {
            client.stop();
        }
    }
}
