//! JavaScript/TypeScript idioms: Express (mysql, knex, child_process),
//! Koa (node-postgres), Fastify, NestJS (TypeORM), Next.js API routes
//! (Prisma), Sequelize, node-serialize and Node crypto. Every safe twin
//! keeps the vulnerable case's sink line; what differs is a sanitiser, a
//! bound parameter, an allow-list check, a constant, a dead branch or a
//! parameterising tagged template a few lines away.

use super::Template;

pub const TEMPLATES: &[Template] = &[
    Template {
        category: "sql-injection",
        framework: "Express+mysql",
        ext: "js",
        expect: "block",
        twin: "placeholder with a parameter list",
        vulnerable: r#"const express = require('express');
const mysql = require('mysql');
const router = express.Router();
const TABLE = '{t}';

router.get('/{t}', (req, res, next) => {
  const {p} = req.query.{p};
  const sql = `SELECT id, {p} FROM ${TABLE} WHERE {p} = '${{p}}'`;
  const args = [];
  connection.query(sql, args, (err, rows) => {
    if (err) return next(err);
    res.json(rows);
  });
});
module.exports = router;
"#,
        safe: r#"const express = require('express');
const mysql = require('mysql');
const router = express.Router();
const TABLE = '{t}';

router.get('/{t}', (req, res, next) => {
  const {p} = req.query.{p};
  const sql = `SELECT id, {p} FROM ${TABLE} WHERE {p} = ?`;
  const args = [{p}];
  connection.query(sql, args, (err, rows) => {
    if (err) return next(err);
    res.json(rows);
  });
});
module.exports = router;
"#,
    },
    Template {
        category: "sql-injection",
        framework: "Koa+pg",
        ext: "js",
        expect: "block",
        twin: "parseInt on the value",
        vulnerable: r#"const Router = require('@koa/router');
const { Pool } = require('pg');
const pool = new Pool();
const router = new Router();

router.get('/{t}/:id', async (ctx) => {
  const {p} = ctx.request.query.{p};
  let q = 'SELECT * FROM {t} WHERE owner_id = ' + ctx.params.id;
  q += " AND {p} = '" + {p} + "'";
  const { rows } = await pool.query(q);
  ctx.body = rows;
});
"#,
        safe: r#"const Router = require('@koa/router');
const { Pool } = require('pg');
const pool = new Pool();
const router = new Router();

router.get('/{t}/:id', async (ctx) => {
  const {p} = parseInt(ctx.request.query.{p}, 10);
  let q = 'SELECT * FROM {t} WHERE owner_id = ' + Number(ctx.params.id);
  q += " AND {p} = '" + {p} + "'";
  const { rows } = await pool.query(q);
  ctx.body = rows;
});
"#,
    },
    Template {
        category: "sql-injection",
        framework: "Sequelize",
        ext: "js",
        expect: "block",
        twin: "named replacements",
        vulnerable: r#"const { QueryTypes } = require('sequelize');

app.get('/api/{t}', async (req, res) => {
  const {p} = req.query.{p};
  const where = `{p} LIKE '%${{p}}%'`;
  const rows = await sequelize.query(`SELECT * FROM {t} WHERE ${where}`, {
    type: QueryTypes.SELECT,
  });
  res.json(rows);
});
"#,
        safe: r#"const { QueryTypes } = require('sequelize');

app.get('/api/{t}', async (req, res) => {
  const {p} = req.query.{p};
  const where = `{p} LIKE :{p}`;
  const rows = await sequelize.query(`SELECT * FROM {t} WHERE ${where}`, {
    replacements: { {p}: `%${{p}}%` },
    type: QueryTypes.SELECT,
  });
  res.json(rows);
});
"#,
    },
    Template {
        category: "sql-injection",
        framework: "Express+knex",
        ext: "ts",
        expect: "block",
        twin: "knex.raw with bindings",
        vulnerable: r#"import { Request, Response } from 'express';
import knex from '../db';

export async function search{C}(req: Request, res: Response) {
  const term: string = String(req.body.{p} ?? '');
  const rows = await knex.raw(`select * from {t} where {p} = '${term}'`);
  return res.json(rows);
}
"#,
        safe: r#"import { Request, Response } from 'express';
import knex from '../db';

export async function search{C}(req: Request, res: Response) {
  const term: string = String(req.body.{p} ?? '');
  const rows = await knex.raw(`select * from {t} where {p} = ?`, [term]);
  return res.json(rows);
}
"#,
    },
    Template {
        category: "sql-injection",
        framework: "NestJS+TypeORM",
        ext: "ts",
        expect: "block",
        twin: "positional parameters",
        vulnerable: r#"import { Controller, Get, Param } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Controller('{t}')
export class {C}Controller {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':{p}')
  async find(@Param('{p}') {p}: string) {
    const sql = `SELECT * FROM {t} WHERE {p} = '${{p}}'`;
    const params: string[] = [];
    return this.dataSource.query(sql, params);
  }
}
"#,
        safe: r#"import { Controller, Get, Param } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Controller('{t}')
export class {C}Controller {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':{p}')
  async find(@Param('{p}') {p}: string) {
    const sql = `SELECT * FROM {t} WHERE {p} = $1`;
    const params: string[] = [{p}];
    return this.dataSource.query(sql, params);
  }
}
"#,
    },
    Template {
        category: "sql-injection",
        framework: "Next.js+Prisma",
        ext: "ts",
        expect: "block",
        twin: "tagged $queryRaw template",
        vulnerable: r#"import type { NextApiRequest, NextApiResponse } from 'next';
import { prisma } from '../../lib/prisma';

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const {p} = req.query.{p} as string;
  const rows = await prisma.$queryRawUnsafe(`SELECT * FROM {t} WHERE {p} = '${{p}}'`);
  res.status(200).json(rows);
}
"#,
        safe: r#"import type { NextApiRequest, NextApiResponse } from 'next';
import { prisma } from '../../lib/prisma';

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const {p} = req.query.{p} as string;
  const rows = await prisma.$queryRaw`SELECT * FROM {t} WHERE {p} = ${{p}}`;
  res.status(200).json(rows);
}
"#,
    },
    Template {
        category: "command-injection",
        framework: "Express",
        ext: "js",
        expect: "block",
        twin: "allow-list check before the call",
        vulnerable: r#"const { exec } = require('child_process');
const HOSTS = ['core.{t}.internal', 'ledger.{t}.internal'];

app.post('/ops/ping', (req, res) => {
  const host = req.body.{p};
  if (!host) {
    return res.status(400).send('missing');
  }
  exec(`ping -c 1 ${host}`, (err, out) => res.send(out));
});
"#,
        safe: r#"const { exec } = require('child_process');
const HOSTS = ['core.{t}.internal', 'ledger.{t}.internal'];

app.post('/ops/ping', (req, res) => {
  const host = req.body.{p};
  if (!HOSTS.includes(host)) {
    return res.status(400).send('missing');
  }
  exec(`ping -c 1 ${host}`, (err, out) => res.send(out));
});
"#,
    },
    Template {
        category: "command-injection",
        framework: "Fastify",
        ext: "ts",
        expect: "block",
        twin: "argument vector without a shell",
        vulnerable: r#"import { spawn } from 'child_process';

fastify.post('/{t}/export', async (request, reply) => {
  const { {p} } = request.body as any;
  const child = spawn('sh', ['-c', `tar czf /tmp/{t}.tgz ${{p}}`]);
  reply.send({ pid: child.pid });
});
"#,
        safe: r#"import { spawn } from 'child_process';

fastify.post('/{t}/export', async (request, reply) => {
  const { {p} } = request.body as any;
  const child = spawn('tar', ['czf', '/tmp/{t}.tgz', `${{p}}`]);
  reply.send({ pid: child.pid });
});
"#,
    },
    Template {
        category: "eval-injection",
        framework: "Express",
        ext: "js",
        expect: "block",
        twin: "value overwritten with a constant rule",
        vulnerable: r#"app.post('/rules/{t}', (req, res) => {
  let rule = req.body.{p};
  if (!rule) {
    rule = 'amount > 0';
  }
  const check = new Function('amount', 'return ' + rule);
  res.json({ ok: check(Number(req.body.amount)) });
});
"#,
        safe: r#"app.post('/rules/{t}', (req, res) => {
  let rule = req.body.{p};
  if (rule) {
    rule = 'amount > 0';
  }
  const check = new Function('amount', 'return ' + 'amount > 0');
  res.json({ ok: check(Number(req.body.amount)) });
});
"#,
    },
    Template {
        category: "insecure-deserialization",
        framework: "Express+node-serialize",
        ext: "js",
        expect: "block",
        twin: "constant input",
        vulnerable: r#"const serialize = require('node-serialize');

app.get('/{t}/prefs', (req, res) => {
  const raw = Buffer.from(req.cookies.{p} || '', 'base64').toString();
  const prefs = serialize.unserialize(raw);
  res.render('prefs', { prefs });
});
"#,
        safe: r#"const serialize = require('node-serialize');

app.get('/{t}/prefs', (req, res) => {
  const raw = '{"theme":"dark","lang":"en"}';
  const prefs = serialize.unserialize(raw);
  res.render('prefs', { prefs });
});
"#,
    },
    Template {
        category: "path-traversal",
        framework: "Express",
        ext: "js",
        expect: "block",
        twin: "path.basename first",
        vulnerable: r#"const path = require('path');
const fs = require('fs');
const DIR = path.join(__dirname, 'statements');

app.get('/{t}/statement', (req, res) => {
  const file = req.query.{p};
  fs.readFile(path.join(DIR, file), (err, data) => {
    if (err) return res.sendStatus(404);
    res.type('pdf').send(data);
  });
});
"#,
        safe: r#"const path = require('path');
const fs = require('fs');
const DIR = path.join(__dirname, 'statements');

app.get('/{t}/statement', (req, res) => {
  const file = path.basename(req.query.{p});
  fs.readFile(path.join(DIR, file), (err, data) => {
    if (err) return res.sendStatus(404);
    res.type('pdf').send(data);
  });
});
"#,
    },
    Template {
        category: "ssrf",
        framework: "Express+axios",
        ext: "ts",
        expect: "block",
        twin: "URL chosen from a constant map",
        vulnerable: r#"import axios from 'axios';
const WEBHOOKS: Record<string, string> = {
  core: 'https://core.{t}.internal/hook',
  ledger: 'https://ledger.{t}.internal/hook',
};

router.post('/{t}/notify', async (req, res) => {
  const target = req.body.{p};
  const r = await axios.post(target, { id: req.body.id });
  res.json({ status: r.status });
});
"#,
        safe: r#"import axios from 'axios';
const WEBHOOKS: Record<string, string> = {
  core: 'https://core.{t}.internal/hook',
  ledger: 'https://ledger.{t}.internal/hook',
};

router.post('/{t}/notify', async (req, res) => {
  const target = WEBHOOKS[req.body.{p}];
  const r = await axios.post(target, { id: req.body.id });
  res.json({ status: r.status });
});
"#,
    },
    Template {
        category: "open-redirect",
        framework: "Express",
        ext: "js",
        expect: "block",
        twin: "fixed local path with an encoded value",
        vulnerable: r#"app.get('/login/done', (req, res) => {
  const next = req.query.{p} || '/';
  req.session.user = req.user;
  res.redirect(next);
});
"#,
        safe: r#"app.get('/login/done', (req, res) => {
  const next = '/{t}?{p}=' + encodeURIComponent(req.query.{p} || '');
  req.session.user = req.user;
  res.redirect(next);
});
"#,
    },
    Template {
        category: "weak-hash",
        framework: "Node crypto",
        ext: "js",
        expect: "block",
        twin: "algorithm constant is SHA-256",
        vulnerable: r#"const crypto = require('crypto');
const ALGORITHM = 'md5';

function hash{C}Password(password, salt) {
  return crypto.createHash(ALGORITHM).update(salt + password).digest('hex');
}
module.exports = { hash{C}Password };
"#,
        safe: r#"const crypto = require('crypto');
const ALGORITHM = 'sha256';

function hash{C}Password(password, salt) {
  return crypto.createHash(ALGORITHM).update(salt + password).digest('hex');
}
module.exports = { hash{C}Password };
"#,
    },
    Template {
        category: "insecure-random",
        framework: "Express",
        ext: "js",
        expect: "block",
        twin: "random value used for retry jitter only",
        vulnerable: r#"app.post('/{t}/verify', async (req, res) => {
  const n = Math.floor(Math.random() * 1000000);
  const otp = String(n).padStart(6, '0');
  await sms.send(req.user.phone, `Your code is ${otp}`);
  res.sendStatus(204);
});
"#,
        safe: r#"app.post('/{t}/verify', async (req, res) => {
  const n = Math.floor(Math.random() * 1000000);
  const delay = String(n).padStart(6, '0');
  await sms.send(req.user.phone, `Retry in ${delay}`);
  res.sendStatus(204);
});
"#,
    },
];
