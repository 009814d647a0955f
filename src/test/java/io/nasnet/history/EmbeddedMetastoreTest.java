package io.nasnet.history;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code history.catalog} on a cluster refuses a Hive session whose metastore would be the embedded
 * Derby store in the driver's container, and accepts a metastore that outlives the driver.
 */
class EmbeddedMetastoreTest {

    @Test
    void anEmbeddedMetastoreInAClusterContainerIsRefused() {
        org.apache.hadoop.conf.Configuration none = new org.apache.hadoop.conf.Configuration(false);
        assertThat(HistoryCatalog.embeddedInContainer("yarn", none)).as("Derby in the container's folder").isTrue();
        assertThat(HistoryCatalog.embeddedInContainer("k8s://https://api:6443", none)).isTrue();
        assertThat(HistoryCatalog.embeddedInContainer("local[4]", none)).as("embedded, on this machine").isFalse();
        assertThat(HistoryCatalog.embeddedInContainer("spark://master:7077", none)).isFalse();
        org.apache.hadoop.conf.Configuration remote = new org.apache.hadoop.conf.Configuration(false);
        remote.set("hive.metastore.uris", "thrift://metastore:9083");
        assertThat(HistoryCatalog.embeddedInContainer("yarn", remote)).isFalse();
        org.apache.hadoop.conf.Configuration mysql = new org.apache.hadoop.conf.Configuration(false);
        mysql.set("javax.jdo.option.ConnectionURL", "jdbc:mysql://db/metastore");
        assertThat(HistoryCatalog.embeddedInContainer("yarn", mysql)).isFalse();
        org.apache.hadoop.conf.Configuration networkDerby = new org.apache.hadoop.conf.Configuration(false);
        networkDerby.set("javax.jdo.option.ConnectionURL", "jdbc:derby://db:1527/metastore");
        assertThat(HistoryCatalog.embeddedInContainer("yarn", networkDerby)).isFalse();
    }

}
