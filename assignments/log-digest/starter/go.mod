module example.com/logdigest

go 1.19
