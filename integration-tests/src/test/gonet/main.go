// A Go net/http server and client (static Go, built at test time): Go's netpoller (epoll,
// edge-triggered), dual-stack listeners, accept4, keep-alive connections, its own resolver.
//
//	gonet serve ADDR DIR   serves DIR on ADDR until a request for /quit; prints each request
//	gonet get URL...       fetches each URL and prints its status, headers of note and body
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: gonet serve ADDR DIR | gonet get URL...")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "serve":
		serve(os.Args[2], os.Args[3])
	case "get":
		os.Exit(get(os.Args[2:]))
	default:
		fmt.Fprintln(os.Stderr, "unknown mode", os.Args[1])
		os.Exit(2)
	}
}

func serve(addr, dir string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("listening on", ln.Addr().Network())
	quit := make(chan struct{})
	files := http.FileServer(http.Dir(dir))
	mux := http.NewServeMux()
	mux.Handle("/", files)
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "%s %d bytes: %s\n", r.Method, len(body), strings.ToUpper(string(body)))
	})
	mux.HandleFunc("/quit", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "bye")
		close(quit)
	})
	server := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, _ := net.SplitHostPort(r.RemoteAddr)
		fmt.Printf("%s %s from %s, %s\n", r.Method, r.URL.Path, host, r.Proto)
		mux.ServeHTTP(w, r)
	})}
	done := make(chan error, 1)
	go func() { done <- server.Serve(ln) }()
	<-quit
	if err := server.Shutdown(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "shutdown:", err)
		os.Exit(1)
	}
	fmt.Println("stopped:", <-done)
}

func get(urls []string) int {
	status := 0
	client := &http.Client{}
	for _, url := range urls {
		var resp *http.Response
		var err error
		if strings.HasSuffix(url, "/echo") {
			resp, err = client.Post(url, "text/plain", strings.NewReader("posted by go"))
		} else {
			resp, err = client.Get(url)
		}
		if err != nil {
			fmt.Println(url, "error:", err)
			status = 1
			continue
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("%s: %s, %s, Content-Length %q, Content-Type %q\n%s", url, resp.Status, resp.Proto,
			resp.Header.Get("Content-Length"), resp.Header.Get("Content-Type"), body)
		if err != nil {
			fmt.Println("read error:", err)
			status = 1
		}
	}
	return status
}
