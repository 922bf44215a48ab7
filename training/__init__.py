"""What only training and benchmarking need: reading ../shared/datasets, the
synthetic data generators, fitting the guard's classifier. Not part of the
runtime package (`channelguard`); scripts and benchmarks import it from the
checkout root."""
