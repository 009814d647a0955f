"""A nightly NASNet search on YARN as an Airflow DAG (Airflow 2.4 or later).

The same command line as jobs/nightly-yarn.cron and docs/cluster.md: jobs/nightly.sh continues the
search id of conf/yarn.conf ("nightly") for at most 8 hours, at 22:00 UTC (the Databricks jobs' hour).
Copy this file into the DAGs folder of an Airflow whose workers have a checkout of nasnet-spark at
NASNET_HOME; the night's environment (CPU or GPU executors, HADOOP_CONF_DIR, SPARK_SUBMIT if it is
not on the PATH) is in that checkout's conf/nightly.env, the one place cron reads it from too. The
submission's output is in the task's log and in logs/nightly-YYYY-MM-DD.log of the checkout, the
report next to the history table (hdfs:///nasnet/reports/nightly/index.html), the driver's output in
YARN's logs.
"""
from datetime import datetime, timedelta, timezone

from airflow import DAG
from airflow.operators.bash import BashOperator

NASNET_HOME = "/opt/nasnet-spark"
NIGHTLY = "jobs/nightly.sh"

with DAG(
    dag_id="nasnet_nightly",
    schedule="0 22 * * *",
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),  # the schedule's hour is UTC
    catchup=False,
    max_active_runs=1,  # a night still running blocks the next one (the search's lease would refuse it)
    default_args={"retries": 0},  # a failed night is re-run by the next: the search resumes where it stopped
) as dag:
    BashOperator(
        task_id="search",
        # the trailing space: a bash_command ending in ".sh" would be read as a Jinja template file
        bash_command=f"cd {NASNET_HOME} && {NIGHTLY} ",
        execution_timeout=timedelta(hours=9),
    )
