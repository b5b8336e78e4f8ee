/*
 * printf of doubles and long doubles in many formats, and strtod round trips. The x87 start state
 * (control word, tag word), SSE (MXCSR) and the long double paths of printf all show here.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void show_double(double d) {
    printf("%f|%e|%g|%.17g|%a\n", d, d, d, d, d);
    printf("  %+.3e|%#g|%-14.4f|%014.3f|%.0f|%G|%E\n", d, d, d, d, d, d, d);
}

static void show_long_double(long double l) {
    printf("%Lf|%.20Lf|%Le|%Lg|%La\n", l, l, l, l, l);
    printf("  %.30Le|%.25Lg|%+.3LE\n", l, l, l);
}

/* %.17g and %a both read back to the same bits; strtold for %.21Lg. */
static void round_trip(double d) {
    char text[64], hex[64];
    snprintf(text, sizeof text, "%.17g", d);
    snprintf(hex, sizeof hex, "%a", d);
    double back = strtod(text, NULL);
    double back_hex = strtod(hex, NULL);
    printf("round trip %s: %s %s\n", text, memcmp(&back, &d, sizeof d) == 0 ? "same" : "DIFFERENT",
            memcmp(&back_hex, &d, sizeof d) == 0 ? "same" : "DIFFERENT");
}

static void round_trip_long(long double l) {
    char text[80];
    snprintf(text, sizeof text, "%.21Lg", l);
    long double back = strtold(text, NULL);
    printf("round trip long %s: %s\n", text, back == l ? "same" : "DIFFERENT");
}

int main(void) {
    volatile double three = 3.0;
    double d[] = {1.0 / three, 1e300, -1e300, -0.0, 0.0, 5e-324, DBL_TRUE_MIN * 12345, DBL_MIN, DBL_MAX,
                  2.2250738585072009e-308, 123456789.125, M_PI, M_E, -1.5e-7, 0.1, 2.5, 3.5, -2.5, 1e22, 1e23,
                  9007199254740993.0, 0.30000000000000004};
    for (unsigned i = 0; i < sizeof d / sizeof *d; i++) {
        show_double(d[i]);
        round_trip(d[i]);
    }
    printf("inf %f %e %g %a | nan %f %g\n", INFINITY, -INFINITY, HUGE_VAL, INFINITY, NAN, -NAN);

    volatile long double three_l = 3.0L;
    long double pi_l = 3.14159265358979323846264338327950288L;
    long double l[] = {1.0L / three_l, pi_l, (long double) M_PI, 1e4000L, -1e-4000L, LDBL_MIN, LDBL_MIN / 1024,
                       LDBL_MAX, LDBL_EPSILON, -0.0L, -2.5L, 0.1L, sqrtl(2.0L)};
    for (unsigned i = 0; i < sizeof l / sizeof *l; i++) {
        show_long_double(l[i]);
        round_trip_long(l[i]);
    }
    printf("long double is %zu bytes, %d mantissa digits\n", sizeof(long double), LDBL_MANT_DIG);

    const char *texts[] = {"0.1", "1e-320", "123.456e7", "-inf", "nan", "0x1.8p3", "1e400", "-1e-400",
                           "  42abc", "4.9406564584124654e-324", "2.4703282292062328e-324", "1.7976931348623157e308"};
    for (unsigned i = 0; i < sizeof texts / sizeof *texts; i++) {
        char *end;
        double v = strtod(texts[i], &end);
        printf("strtod [%s] -> %.17g %a rest [%s] %s\n", texts[i], v, v, end, isnan(v) ? "nan" : "num");
    }
    /* double libm is SSE code; the x87 long double functions are in x87.c. */
    volatile double two = 2.0, one = 1.0;
    printf("sqrt2=%.17g sin1=%.17g log10=%.17g pow=%.17g exp1=%.17g\n", sqrt(two), sin(one), log(10.0 * one),
            pow(two, 0.5), exp(one));
    printf("rint %.1f %.1f %.1f nearbyint %.1f lrint %ld\n", rint(2.5 * one), rint(3.5 * one), rint(-2.5 * one),
            nearbyint(0.5 * one), lrint(1.5 * one));
    /* fxsave/fxrstor must carry the XMM registers: glibc's lazy PLT binding saves arguments with them. */
    static unsigned char area[512] __attribute__((aligned(16)));
    double saved = 0;
    __asm__ volatile("movsd %1, %%xmm0\n fxsave64 %2\n pxor %%xmm0, %%xmm0\n fxrstor64 %2\n movsd %%xmm0, %0"
                     : "=m"(saved) : "m"(two), "m"(area) : "xmm0");
    printf("xmm0 through fxsave/fxrstor: %g\n", saved);
    return 0;
}
