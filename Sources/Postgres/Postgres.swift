// Postgres: placeholder until the module lands.
