/* Never ends by itself: for time limits. */
int main(void) {
    for (volatile unsigned long i = 0;; i++) {
    }
}
