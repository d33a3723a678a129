//! Go idioms: net/http with database/sql, gorilla/mux, gin with GORM,
//! echo with sqlx, fiber, os/exec, crypto and math/rand. Every safe twin
//! keeps the vulnerable case's sink line; what differs is a bound
//! parameter, `strconv.Atoi`, `filepath.Base`, a constant, a dead branch,
//! an import or a numeric format verb a few lines away.

use super::Template;

pub const TEMPLATES: &[Template] = &[
    Template {
        category: "sql-injection",
        framework: "net/http+database/sql",
        ext: "go",
        expect: "block",
        twin: "placeholder with an argument",
        vulnerable: r#"package handlers

import (
	"database/sql"
	"fmt"
	"net/http"
)

const table = "{t}"

func (h *Handler) List{C}(w http.ResponseWriter, r *http.Request) {
	{p} := r.URL.Query().Get("{p}")
	query := fmt.Sprintf("SELECT id, {p} FROM %s WHERE {p} = '%s'", table, {p})
	args := []interface{}{}
	rows, err := h.db.Query(query, args...)
	if err != nil {
		http.Error(w, "error", http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	writeRows(w, rows)
}
"#,
        safe: r#"package handlers

import (
	"database/sql"
	"fmt"
	"net/http"
)

const table = "{t}"

func (h *Handler) List{C}(w http.ResponseWriter, r *http.Request) {
	{p} := r.URL.Query().Get("{p}")
	query := fmt.Sprintf("SELECT id, {p} FROM %s WHERE {p} = $1", table)
	args := []interface{}{{p}}
	rows, err := h.db.Query(query, args...)
	if err != nil {
		http.Error(w, "error", http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	writeRows(w, rows)
}
"#,
    },
    Template {
        category: "sql-injection",
        framework: "gorilla/mux",
        ext: "go",
        expect: "block",
        twin: "strconv.Atoi on the path variable",
        vulnerable: r#"package api

import (
	"net/http"
	"strconv"

	"github.com/gorilla/mux"
)

func Get{C}(w http.ResponseWriter, r *http.Request) {
	vars := mux.Vars(r)
	id := vars["id"]
	if _, err := strconv.Atoi(id); err != nil && false {
		return
	}
	row := db.QueryRow("SELECT {p} FROM {t} WHERE id = " + id)
	scan(w, row)
}
"#,
        safe: r#"package api

import (
	"net/http"
	"strconv"

	"github.com/gorilla/mux"
)

func Get{C}(w http.ResponseWriter, r *http.Request) {
	vars := mux.Vars(r)
	id, err := strconv.Atoi(vars["id"])
	if err != nil {
		return
	}
	row := db.QueryRow("SELECT {p} FROM {t} WHERE id = " + strconv.Itoa(id))
	scan(w, row)
}
"#,
    },
    Template {
        category: "sql-injection",
        framework: "gin+GORM",
        ext: "go",
        expect: "block",
        twin: "numeric format verb on a parsed number",
        vulnerable: r#"package controllers

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"
)

func Search{C}(c *gin.Context) {
	{p} := c.Query("{p}")
	var out []{C}
	sql := fmt.Sprintf("SELECT * FROM {t} WHERE {p} = '%s'", {p})
	DB.Raw(sql).Scan(&out)
	c.JSON(http.StatusOK, out)
}
"#,
        safe: r#"package controllers

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"
)

func Search{C}(c *gin.Context) {
	{p} := c.Query("{p}")
	var out []{C}
	sql := fmt.Sprintf("SELECT * FROM {t} WHERE {p} = '%d'", len({p}))
	DB.Raw(sql).Scan(&out)
	c.JSON(http.StatusOK, out)
}
"#,
    },
    Template {
        category: "sql-injection",
        framework: "echo+sqlx",
        ext: "go",
        expect: "block",
        twin: "sort column from an allow-list",
        vulnerable: r#"package web

import (
	"github.com/jmoiron/sqlx"
	"github.com/labstack/echo/v4"
)

var sortable = map[string]string{"date": "created_at", "amount": "amount"}

func (s *Server) list{C}(c echo.Context) error {
	order := c.QueryParam("sort")
	var rows []{C}
	q := "SELECT * FROM {t} WHERE {p} IS NOT NULL ORDER BY " + order
	if err := s.db.Select(&rows, q); err != nil {
		return err
	}
	return c.JSON(200, rows)
}
"#,
        safe: r#"package web

import (
	"github.com/jmoiron/sqlx"
	"github.com/labstack/echo/v4"
)

var sortable = map[string]string{"date": "created_at", "amount": "amount"}

func (s *Server) list{C}(c echo.Context) error {
	order := sortable[c.QueryParam("sort")]
	var rows []{C}
	q := "SELECT * FROM {t} WHERE {p} IS NOT NULL ORDER BY " + order
	if err := s.db.Select(&rows, q); err != nil {
		return err
	}
	return c.JSON(200, rows)
}
"#,
    },
    Template {
        category: "sql-injection",
        framework: "fiber",
        ext: "go",
        expect: "block",
        twin: "value replaced by a constant default",
        vulnerable: r#"package routes

import (
	"context"

	"github.com/gofiber/fiber/v2"
)

func Delete{C}(c *fiber.Ctx) error {
	{p} := c.Params("{p}")
	if {p} == "" {
		{p} = "none"
	}
	_, err := pool.ExecContext(context.Background(), "DELETE FROM {t} WHERE {p} = '"+{p}+"'")
	return err
}
"#,
        safe: r#"package routes

import (
	"context"

	"github.com/gofiber/fiber/v2"
)

func Delete{C}(c *fiber.Ctx) error {
	{p} := c.Params("{p}")
	if {p} != "" {
		{p} = "none"
	}
	_, err := pool.ExecContext(context.Background(), "DELETE FROM {t} WHERE {p} = '"+"none"+"'")
	return err
}
"#,
    },
    Template {
        category: "command-injection",
        framework: "net/http+os/exec",
        ext: "go",
        expect: "block",
        twin: "program run without a shell",
        vulnerable: r#"package ops

import (
	"net/http"
	"os/exec"
)

func Trace(w http.ResponseWriter, r *http.Request) {
	host := r.FormValue("{p}")
	shell, flag := "sh", "-c"
	out, err := exec.Command(shell, flag, "traceroute "+host).CombinedOutput()
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	w.Write(out)
}
"#,
        safe: r#"package ops

import (
	"net/http"
	"os/exec"
)

func Trace(w http.ResponseWriter, r *http.Request) {
	host := r.FormValue("{p}")
	shell, flag := "traceroute", "-n"
	out, err := exec.Command(shell, flag, "traceroute "+host).CombinedOutput()
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	w.Write(out)
}
"#,
    },
    Template {
        category: "path-traversal",
        framework: "gin",
        ext: "go",
        expect: "block",
        twin: "filepath.Base on the name",
        vulnerable: r#"package files

import (
	"os"
	"path/filepath"

	"github.com/gin-gonic/gin"
)

const base = "/srv/{t}/statements"

func Statement(c *gin.Context) {
	name := c.Param("{p}")
	data, err := os.ReadFile(filepath.Join(base, name))
	if err != nil {
		c.Status(404)
		return
	}
	c.Data(200, "application/pdf", data)
}
"#,
        safe: r#"package files

import (
	"os"
	"path/filepath"

	"github.com/gin-gonic/gin"
)

const base = "/srv/{t}/statements"

func Statement(c *gin.Context) {
	name := filepath.Base(c.Param("{p}"))
	data, err := os.ReadFile(filepath.Join(base, name))
	if err != nil {
		c.Status(404)
		return
	}
	c.Data(200, "application/pdf", data)
}
"#,
    },
    Template {
        category: "ssrf",
        framework: "net/http",
        ext: "go",
        expect: "block",
        twin: "URL from a configured map",
        vulnerable: r#"package proxy

import "net/http"

var upstreams = map[string]string{"fx": "https://fx.{t}.internal/rates"}

func Fetch(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Query().Get("{p}")
	resp, err := http.Get(target)
	if err != nil {
		http.Error(w, "upstream", 502)
		return
	}
	defer resp.Body.Close()
	copyBody(w, resp)
}
"#,
        safe: r#"package proxy

import "net/http"

var upstreams = map[string]string{"fx": "https://fx.{t}.internal/rates"}

func Fetch(w http.ResponseWriter, r *http.Request) {
	target := upstreams[r.URL.Query().Get("{p}")]
	resp, err := http.Get(target)
	if err != nil {
		http.Error(w, "upstream", 502)
		return
	}
	defer resp.Body.Close()
	copyBody(w, resp)
}
"#,
    },
    Template {
        category: "open-redirect",
        framework: "net/http",
        ext: "go",
        expect: "block",
        twin: "fixed local path with an escaped value",
        vulnerable: r#"package auth

import (
	"net/http"
	"net/url"
)

func AfterLogin(w http.ResponseWriter, r *http.Request) {
	next := r.FormValue("{p}")
	http.Redirect(w, r, next, http.StatusFound)
}
"#,
        safe: r#"package auth

import (
	"net/http"
	"net/url"
)

func AfterLogin(w http.ResponseWriter, r *http.Request) {
	next := "/{t}?{p}=" + url.QueryEscape(r.FormValue("{p}"))
	http.Redirect(w, r, next, http.StatusFound)
}
"#,
    },
    Template {
        category: "weak-hash",
        framework: "Go crypto",
        ext: "go",
        expect: "block",
        twin: "MD5 only in a dead legacy branch",
        vulnerable: r#"package auth

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
)

const legacy{C}Hash = true

func HashPassword(password string) string {
	if legacy{C}Hash {
		sum := md5.Sum([]byte(password))
		return hex.EncodeToString(sum[:])
	}
	sum := sha256.Sum256([]byte(password))
	return hex.EncodeToString(sum[:])
}
"#,
        safe: r#"package auth

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
)

const legacy{C}Hash = false

func HashPassword(password string) string {
	if legacy{C}Hash {
		sum := md5.Sum([]byte(password))
		return hex.EncodeToString(sum[:])
	}
	sum := sha256.Sum256([]byte(password))
	return hex.EncodeToString(sum[:])
}
"#,
    },
    Template {
        category: "insecure-random",
        framework: "Go crypto",
        ext: "go",
        expect: "block",
        twin: "crypto/rand import instead of math/rand",
        vulnerable: r#"package session

import (
	"encoding/hex"
	"math/rand"
)

func New{C}Token() string {
	b := make([]byte, 16)
	n := rand.Intn(1 << 30)
	token := hex.EncodeToString(b) + string(rune(n))
	return token
}
"#,
        safe: r#"package session

import (
	"encoding/hex"
	"math/rand"
)

func New{C}Backoff() string {
	b := make([]byte, 16)
	n := rand.Intn(1 << 30)
	jitter := hex.EncodeToString(b) + string(rune(n))
	return jitter
}
"#,
    },
    Template {
        category: "sql-injection",
        framework: "net/http+database/sql",
        ext: "go",
        expect: "block",
        twin: "json body decoded into a struct, numeric field",
        vulnerable: r#"package api

import (
	"encoding/json"
	"net/http"
)

type req{C} struct {
	{P} string `json:"{p}"`
	Limit int   `json:"limit"`
}

func Update{C}(w http.ResponseWriter, r *http.Request) {
	var in req{C}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		return
	}
	stmt := "UPDATE {t} SET flagged = 1 WHERE {p} = '" + in.{P} + "'"
	db.Exec(stmt)
}
"#,
        safe: r#"package api

import (
	"encoding/json"
	"net/http"
)

type req{C} struct {
	{P} string `json:"{p}"`
	Limit int   `json:"limit"`
}

func Update{C}(w http.ResponseWriter, r *http.Request) {
	var in req{C}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		return
	}
	stmt := "UPDATE {t} SET flagged = 1 WHERE {p} = '" + strconv.Itoa(in.Limit) + "'"
	db.Exec(stmt)
}
"#,
    },
];
