// FlowCapture: placeholder until the module lands.
