module dev.jlx.it/goprogram

go 1.19
