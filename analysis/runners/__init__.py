"""Running the analysis over many documents: worker processes on this machine, or a Dask
cluster."""
