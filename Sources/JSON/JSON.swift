// JSON: placeholder until the module lands.
