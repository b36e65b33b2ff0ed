"""Pure building blocks of the Glue extract job (Glue/etl.py).

Nothing in this package imports ``awsglue`` or ``pyspark``: the Spark-touching code lives in
``Glue/etl.py`` and ``Glue/spark_io.py`` so that everything here can be tested on a machine
without Spark. The figures themselves are never computed here; they come from the shared SQL
(``Glue/sql/branch_moving_average.sql``). This package parses arguments, computes month
windows, names files, renders CSV bytes, builds manifests and publishes them to S3.
"""


class ExtractJobError(Exception):
    """A failure the job reports as its cause (bad argument, token clash, publish failure).

    Raised instead of generic exceptions so that ``etl.py`` can log one clear line and exit
    non-zero, which is what fires the failure alarm.
    """
