// CaptureRuntime: placeholder until the module lands.
