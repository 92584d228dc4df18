"""Not a pipeline step: the synthetic catalogue for benchmarks and tests (`lvyin synth`)."""
