// JSONSchema: placeholder until the module lands.
