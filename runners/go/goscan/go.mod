module reciprocal/goscan

go 1.19
