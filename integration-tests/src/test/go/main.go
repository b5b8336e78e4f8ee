// A Go program that exercises what the Go runtime needs from Linux: threads and futexes, signals
// (preemption of a goroutine that computes without calls, a nil dereference turned into a panic),
// the netpoller (epoll on pipes), os/exec (clone, execve, wait4), timers, files and directories.
package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	dir := os.Args[1]

	// Goroutines on several threads, a mutex and a channel.
	var mu sync.Mutex
	total := 0
	results := make(chan string, 16)
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sum := sha256.Sum256([]byte(strings.Repeat("go", i*500)))
			mu.Lock()
			total += int(sum[0])
			mu.Unlock()
			results <- fmt.Sprintf("%02d %x", i, sum[:4])
		}(i)
	}
	wg.Wait()
	close(results)
	var lines []string
	for r := range results {
		lines = append(lines, r)
	}
	sort.Strings(lines)
	fmt.Println(strings.Join(lines, "\n"))
	fmt.Println("total", total)

	// Files and directories.
	for i := 0; i < 5; i++ {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.txt", i)), []byte(strings.Repeat("x", i*100)), 0644)
	}
	os.MkdirAll(filepath.Join(dir, "sub", "deeper"), 0755)
	var walked []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		rel, _ := filepath.Rel(dir, p)
		walked = append(walked, fmt.Sprintf("%s %v %d", rel, info.IsDir(), info.Size()))
		return nil
	})
	fmt.Println(strings.Join(walked, "\n"))

	// JSON.
	b, _ := json.MarshalIndent(map[string]interface{}{"files": len(walked), "ok": true}, "", "  ")
	fmt.Println(string(b))

	// Child processes through pipes (the netpoller waits on them).
	out, err := exec.Command("/bin/busybox", "sh", "-c", "echo from a child; ls "+dir+" | wc -l").Output()
	fmt.Printf("child: %q %v\n", out, err)
	cmd := exec.Command("/bin/busybox", "tr", "a-z", "A-Z")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Start()
	go func() {
		for i := 0; i < 3; i++ {
			fmt.Fprintf(stdin, "line %d\n", i)
		}
		stdin.Close()
	}()
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		fmt.Println("tr:", sc.Text())
	}
	fmt.Println("tr exit:", cmd.Wait())
	err = exec.Command("/bin/busybox", "false").Run()
	fmt.Println("false:", err)

	// Timers.
	start := time.Now()
	timer := time.NewTimer(30 * time.Millisecond)
	<-timer.C
	fmt.Println("timer fired late enough:", time.Since(start) >= 30*time.Millisecond)

	// A goroutine that computes without calls beside a ticker, on one P: the ticker ticks only if
	// the runtime preempts the computing goroutine (sysmon's SIGURG to its thread).
	prev := runtime.GOMAXPROCS(1)
	var stop int32
	spun := make(chan int)
	go func() {
		n := 0
		for atomic.LoadInt32(&stop) == 0 {
			n++
		}
		spun <- n
	}()
	ticker := time.NewTicker(10 * time.Millisecond)
	for i := 0; i < 5; i++ {
		<-ticker.C
	}
	ticker.Stop()
	atomic.StoreInt32(&stop, 1)
	fmt.Println("ticker ticked beside a computing goroutine, which ran:", <-spun > 0)
	runtime.GOMAXPROCS(prev)

	// A nil dereference is a panic that recover sees.
	defer func() {
		fmt.Println("recovered:", recover())
		os.Exit(3)
	}()
	var p *int
	fmt.Println(*p)
}
