// Catalog: placeholder until the module lands.
