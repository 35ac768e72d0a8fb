"""examples/databases.ts in Python: the same three clusters in the chart "databases".

Run with the wheel of cdk8s-workloads installed: ``python databases.py OUTDIR`` writes
OUTDIR/databases.k8s.yaml, which test/bindings/python.test.ts compares with the TypeScript
example's output byte for byte.
"""
import sys

from cdk8s import App, Chart, Duration, Size
from cdk8s_workloads import (
    DisruptionBudget,
    HighAvailability,
    MySqlCluster,
    MySqlSettings,
    PostgresCluster,
    PostgresSettings,
    RedisCluster,
    RedisEvictionPolicy,
    RedisSettings,
    ResourcePreset,
)


def database_examples(app: App):
    chart = Chart(app, "databases", namespace="shop")

    # orders-db-0 is the primary, orders-db-1 and orders-db-2 stream from it.
    orders_db = PostgresCluster(
        chart,
        "orders-db",
        replicas=3,
        storage=Size.gibibytes(50),
        storage_class_name="standard-rwo",
        resource_preset=ResourcePreset.LARGE,
        disruption_budget=DisruptionBudget.max_unavailable(1),
        client_labels={"orders-db-client": "true"},
        termination_grace_period=Duration.seconds(90),
        max_replica_lag=Duration.seconds(30),
        settings=PostgresSettings(max_connections=200, parameters={"log_min_duration_statement": "500ms"}),
        metrics=True,
    )

    # High availability: Patroni elects the primary through the Kubernetes API.
    PostgresCluster(
        chart,
        "payments-db",
        replicas=3,
        storage=Size.gibibytes(20),
        high_availability=HighAvailability.patroni(synchronous=True),
    )

    # MySQL 8.4 LTS: shop-db-0 writes the binary log, shop-db-1/2 replicate with GTID.
    shop_db = MySqlCluster(
        chart,
        "shop-db",
        replicas=3,
        storage=Size.gibibytes(20),
        settings=MySqlSettings(max_connections=300),
        # mysqld-exporter sidecar on 9104.
        metrics=True,
    )

    # Redis: cache-0 is the primary, cache-1/2 run replicaof.
    cache = RedisCluster(
        chart,
        "cache",
        replicas=3,
        storage=Size.gibibytes(5),
        settings=RedisSettings(eviction_policy=RedisEvictionPolicy.ALL_KEYS_LRU),
        # redis_exporter sidecar on 9121.
        metrics=True,
    )
    return orders_db, shop_db, cache


if __name__ == "__main__":
    app = App(outdir=sys.argv[1])
    database_examples(app)
    app.synth()
