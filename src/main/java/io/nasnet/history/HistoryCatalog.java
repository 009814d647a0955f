package io.nasnet.history;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * {@code history.catalog}: the project's tables by name in the Spark session's catalog (a Hive
 * metastore on YARN, the workspace's metastore on Databricks), so that a notebook or Databricks SQL
 * reads {@code nasnet.nas_history} without knowing a path. External tables over the paths the runs
 * write ({@code nas_history} partitioned by search id, {@code nas_final}, {@code nas_predictions}),
 * and {@code nas_rounds} and {@code nas_best} as views over {@code nas_history}. Opened before a
 * run trains anything, so a metastore that cannot be reached stops the run at its start.
 */
public final class HistoryCatalog {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HistoryCatalog.class);

    private final SparkSession spark;
    private final String database;

    private HistoryCatalog(SparkSession spark, String database) {
        this.spark = spark;
        this.database = database;
    }

    /**
     * The catalog database {@code database}, created if missing, with the history table and its
     * views; fails naming the setting when the catalog does not answer.
     */
    public static HistoryCatalog open(SparkSession spark, String database, HistoryTable history) {
        String kind = spark.conf().get("spark.sql.catalogImplementation", "in-memory");
        if (kind.equals("in-memory")) {
            throw new IllegalStateException("nasnet.history.catalog = " + database + ": the Spark session's catalog "
                    + "is in-memory (spark.sql.catalogImplementation), so the tables would vanish with the session; "
                    + "run with a metastore (--conf spark.sql.catalogImplementation=hive) or leave history.catalog "
                    + "empty");
        }
        String master = spark.sparkContext().master();
        if (embeddedInContainer(master, spark.sparkContext().hadoopConfiguration())) {
            throw new IllegalStateException("nasnet.history.catalog = " + database + ": the session's Hive metastore "
                    + "is the embedded Derby store, which would live in the working folder of the driver's container "
                    + "on " + master + " and vanish with it; put the cluster's hive-site.xml (hive.metastore.uris) in "
                    + "Spark's conf folder, or leave history.catalog empty");
        }
        HistoryCatalog c = new HistoryCatalog(spark, database);
        try {
            spark.sql("CREATE DATABASE IF NOT EXISTS " + database);
        } catch (Exception e) { // Spark's AnalysisException is a checked exception Scala code throws undeclared
            throw new IllegalStateException("nasnet.history.catalog = " + database + ": the Spark session's catalog ("
                    + kind + ") cannot be reached or refused CREATE DATABASE: " + e.getMessage(), e);
        }
        c.create(history);
        HistoryViews.persist(spark, database);
        return c;
    }

    /**
     * Whether a Hive session would keep its tables in an embedded Derby store inside a container
     * (a driver on YARN or Kubernetes with no metastore URI): tables gone when the driver ends.
     */
    static boolean embeddedInContainer(String master, org.apache.hadoop.conf.Configuration hadoop) {
        boolean container = master.startsWith("yarn") || master.startsWith("k8s");
        String uris = hadoop.get("hive.metastore.uris", "");
        String url = hadoop.get("javax.jdo.option.ConnectionURL", "jdbc:derby:;databaseName=metastore_db;create=true");
        return container && uris.isBlank() && url.startsWith("jdbc:derby:") && !url.startsWith("jdbc:derby://");
    }

    public String database() {
        return database;
    }

    /**
     * Creates {@code nas_history} over the table's path if missing, with every search written so far;
     * a Delta table that exists already brings its own schema and partitions from its log.
     */
    private void create(HistoryTable history) {
        String table = database + ".nas_history";
        boolean delta = history.format() == HistoryTable.Format.DELTA;
        String columns = delta && HistoryTable.stored(spark, history.path()).isPresent() ? ""
                : " (" + HistoryRecord.SCHEMA.toDDL() + ") ";
        spark.sql("CREATE TABLE IF NOT EXISTS " + table + columns + " USING " + (delta ? "delta" : "parquet")
                + (columns.isEmpty() ? "" : " PARTITIONED BY (search_id)") + " LOCATION " + literal(history.path()));
        if (!delta) {
            addMissingColumns(table, HistoryRecord.SCHEMA);
            spark.sql("ALTER TABLE " + table + " RECOVER PARTITIONS");
        }
        spark.sql("REFRESH TABLE " + table);
    }

    /**
     * A catalog table created by an earlier release lacks the columns added since: they are added
     * ({@code ALTER TABLE ... ADD COLUMNS}), so that the new rows' values are seen by name and the old
     * rows read them as null. A Delta table's columns come from its log, which evolves as it is written.
     */
    private void addMissingColumns(String table, StructType schema) {
        java.util.Set<String> have = java.util.Set.of(spark.table(table).schema().fieldNames());
        StructType missing = new StructType(java.util.Arrays.stream(schema.fields())
                .filter(f -> !have.contains(f.name())).toArray(org.apache.spark.sql.types.StructField[]::new));
        if (missing.nonEmpty()) {
            spark.sql("ALTER TABLE " + table + " ADD COLUMNS (" + missing.toDDL() + ")");
            LOG.info("catalog table {}: added the columns {} of this release", table, String.join(", ", missing.fieldNames()));
        }
    }

    /**
     * Registers the search's partition (its folder) if it is new and refreshes what the session
     * cached of the table: after each round. A Delta table keeps its own partitions in its log.
     */
    public void refresh(HistoryTable history, String searchId) {
        String table = database + ".nas_history";
        if (history.format() == HistoryTable.Format.PARQUET) {
            spark.sql("ALTER TABLE " + table + " ADD IF NOT EXISTS PARTITION (search_id = " + literal(searchId) + ")");
        }
        spark.sql("REFRESH TABLE " + table);
    }

    /** Creates {@code nas_final} over the final-training table's path if missing, and refreshes it. */
    public void finals(String path, StructType schema) {
        external("nas_final", path, schema);
    }

    /** Creates {@code nas_configs} over the configurations' table at {@code path} if missing, and refreshes it. */
    public void configs(String path, StructType schema) {
        external("nas_configs", path, schema);
    }

    /** Points {@code nas_predictions} at the predictions just written (Parquet) at {@code path}. */
    public void predictions(String path, StructType schema) {
        spark.sql("DROP TABLE IF EXISTS " + database + ".nas_predictions");
        external("nas_predictions", path, schema);
    }

    private void external(String name, String path, StructType schema) {
        String table = database + "." + name;
        spark.sql("CREATE TABLE IF NOT EXISTS " + table + " (" + schema.toDDL() + ") USING parquet LOCATION "
                + literal(path));
        addMissingColumns(table, schema);
        spark.sql("REFRESH TABLE " + table);
    }

    private static String literal(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
