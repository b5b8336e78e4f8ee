/* printf of doubles and long doubles in many formats: the FPU start state and x87 emulation show here. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    double d[] = {1.0 / 3.0, 1e300, -0.0, 5e-324, 2.2250738585072014e-308, 123456789.125, M_PI, -1.5e-7};
    for (unsigned i = 0; i < sizeof d / sizeof *d; i++) {
        printf("%f|%e|%g|%.17g|%a\n", d[i], d[i], d[i], d[i], d[i]);
    }
    long double l[] = {1.0L / 3.0L, 3.14159265358979323846264338327950288L, 1e4000L, LDBL_MIN, -2.5L};
    for (unsigned i = 0; i < sizeof l / sizeof *l; i++) {
        printf("%Lf|%.20Lf|%Le|%Lg|%La\n", l[i], l[i], l[i], l[i], l[i]);
    }
    const char *texts[] = {"0.1", "1e-320", "123.456e7", "-inf", "nan"};
    for (unsigned i = 0; i < sizeof texts / sizeof *texts; i++) {
        double v = strtod(texts[i], NULL);
        printf("%s -> %.17g %s\n", texts[i], v, isnan(v) ? "nan" : "num");
    }
    printf("sqrt2=%.15f sin1=%.15f exp1=%.15Lf\n", sqrt(2.0), sin(1.0), expl(1.0L));
    return 0;
}
