"""A nightly NASNet search on YARN as an Airflow DAG (Airflow 2.4 or later).

The same command line as jobs/nightly-yarn.cron and docs/cluster.md: jobs/submit-yarn.sh continues the
search id of conf/yarn.conf ("nightly") for at most 8 hours. Copy this file into the DAGs folder of an
Airflow whose workers have a checkout of nasnet-spark at NASNET_HOME and a spark-submit configured for
the cluster (HADOOP_CONF_DIR, and SPARK_SUBMIT if it is not on the PATH). The report lands next to the
history table (hdfs:///nasnet/reports/nightly/index.html), the driver's output in YARN's logs.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator

NASNET_HOME = "/opt/nasnet-spark"
NIGHTLY = "jobs/submit-yarn.sh search --time-budget 8h"

with DAG(
    dag_id="nasnet_nightly",
    schedule="0 22 * * *",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,  # a night still running blocks the next one (the search's lease would refuse it)
    default_args={"retries": 0},  # a failed night is re-run by the next: the search resumes where it stopped
) as dag:
    BashOperator(
        task_id="search",
        bash_command=f"cd {NASNET_HOME} && {NIGHTLY}",
        execution_timeout=timedelta(hours=9),
    )
