import CollectionStore

/// Collections and capture checkpoints kept in a shared PostgreSQL database (issue #8, in progress).
public enum PostgresStoreModule {}
