/*
 * The x87 unit at full 64-bit precision: the long double functions of libm use x87 instructions
 * (fsqrt, fprem, f2xm1, fyl2x, fpatan, fsin, fcos, fptan, fscale, frndint) whose results are exact or
 * correctly rounded on real hardware. An emulator that computes them in double precision shows here.
 *
 * Known to differ under jlx today: Unicorn 2.x carries QEMU 5's x87 helpers, which convert ST0 to a
 * host double for f2xm1, fyl2x, fyl2xp1 and fpatan (expl, exp2l, expm1l, logl, log2l, log10l,
 * log1pl, powl, atanl, atan2l lose the last 11 bits). qemu-x86_64 8.x computes them in 80 bits and
 * matches the hardware. The fix belongs in the engine, not in this test.
 */
#include <math.h>
#include <stdio.h>

#define SHOW(name, expr) printf("%-10s %.21Lg %La\n", name, (long double) (expr), (long double) (expr))

int main(void) {
    volatile long double one = 1.0L, two = 2.0L, half = 0.5L, big = 1e10L;
    SHOW("sqrtl", sqrtl(two));
    SHOW("fmodl", fmodl(big, 3.0L * one));
    SHOW("remainderl", remainderl(big + half, 7.0L * one));
    SHOW("rintl", rintl(2.5L * one));
    SHOW("ldexpl", ldexpl(one, 100));
    SHOW("expl", expl(one));
    SHOW("exp2l", exp2l(half));
    SHOW("expm1l", expm1l(half / 1000));
    SHOW("logl", logl(two));
    SHOW("log2l", log2l(3.0L * one));
    SHOW("log10l", log10l(7.0L * one));
    SHOW("log1pl", log1pl(half / 1000));
    SHOW("powl", powl(two, half));
    SHOW("atanl", atanl(one));
    SHOW("atan2l", atan2l(one, two));
    SHOW("sinl", sinl(one));
    SHOW("cosl", cosl(one));
    SHOW("tanl", tanl(half));
    SHOW("sin(1e22)", sinl(1e22L * one));
    return 0;
}
