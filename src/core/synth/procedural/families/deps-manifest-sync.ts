/**
 * Software Dev: a project whose dependency manifest lags behind its imports (a fresh install fails
 * with ModuleNotFoundError). Python: requirements.txt pinned from pip-freeze.txt; Node: package.json
 * ranges from package-lock.json. Stdlib/builtin, local and transitive-only packages stay out.
 */
import type { CheckInput, Family } from '../family.js';
import { voiced } from '../family.js';
import type { Rng } from '../../../rng.js';
import { cmp } from './common.js';
import { TEAM_NAMES } from './names.js';
import { say } from './phrasing.js';
import { pyOracle } from './py-oracle.js';

/** [import line, distribution, versions, code using it]. `same` = the import name is the distribution name. */
interface PyDep { line: string; dist: string; versions: string[]; code: string; same: boolean }
const pd = (line: string, dist: string, versions: string[], code: string): PyDep => {
  const root = /^(?:from|import) ([A-Za-z_][\w]*)/.exec(line)![1]!;
  return { line, dist, versions, code: code.trim(), same: root.toLowerCase() === dist.toLowerCase() };
};
const PY_DEPS: PyDep[] = [
  pd('import requests', 'requests', ['2.31.0', '2.32.3'], 'def fetch_json(url):\n    return requests.get(url, timeout=10).json()'),
  pd('import yaml', 'PyYAML', ['6.0.1', '6.0.2'], 'def load_config(path):\n    with open(path) as f:\n        return yaml.safe_load(f)'),
  pd('from bs4 import BeautifulSoup', 'beautifulsoup4', ['4.12.2', '4.12.3'], 'def page_title(html):\n    return BeautifulSoup(html, "html.parser").title.string'),
  pd('from PIL import Image', 'Pillow', ['10.3.0', '10.4.0'], 'def thumbnail(src, dst, size=(128, 128)):\n    with Image.open(src) as im:\n        im.thumbnail(size)\n        im.save(dst)'),
  pd('from dateutil import parser as date_parser', 'python-dateutil', ['2.8.2', '2.9.0.post0'], 'def parse_when(text):\n    return date_parser.parse(text)'),
  pd('import jwt', 'PyJWT', ['2.8.0', '2.9.0'], 'def decode_token(token, key):\n    return jwt.decode(token, key, algorithms=["HS256"])'),
  pd('from sklearn.linear_model import LinearRegression', 'scikit-learn', ['1.4.2', '1.5.0'], 'def fit_slope(xs, ys):\n    model = LinearRegression().fit([[x] for x in xs], ys)\n    return float(model.coef_[0])'),
  pd('import numpy as np', 'numpy', ['1.26.4', '2.0.0'], 'def mean_of(values):\n    return float(np.mean(values))'),
  pd('import pandas as pd', 'pandas', ['2.2.1', '2.2.2'], 'def read_table(path):\n    return pd.read_csv(path)'),
  pd('import click', 'click', ['8.1.7'], '@click.command()\n@click.argument("path")\ndef cli(path):\n    click.echo(path)'),
  pd('from flask import Flask, jsonify', 'Flask', ['3.0.2', '3.0.3'], 'app = Flask(__name__)\n\n\n@app.get("/health")\ndef health():\n    return jsonify(status="ok")'),
  pd('from sqlalchemy import create_engine, text', 'SQLAlchemy', ['2.0.29', '2.0.30'], 'def count_rows(url, table):\n    with create_engine(url).connect() as conn:\n        return conn.execute(text("SELECT COUNT(*) FROM " + table)).scalar()'),
  pd('import redis', 'redis', ['5.0.3', '5.0.4'], 'def cache_client(url):\n    return redis.Redis.from_url(url)'),
  pd('import boto3', 'boto3', ['1.34.110', '1.34.131'], 'def upload(path, bucket, key):\n    boto3.client("s3").upload_file(path, bucket, key)'),
  pd('from dotenv import load_dotenv', 'python-dotenv', ['1.0.1'], 'def init_env():\n    load_dotenv()'),
  pd('import attr', 'attrs', ['23.2.0'], '@attr.s(auto_attribs=True)\nclass Point:\n    x: float\n    y: float'),
  pd('from jinja2 import Template', 'Jinja2', ['3.1.3', '3.1.4'], 'def render(template, **values):\n    return Template(template).render(**values)'),
  pd('import markdown', 'Markdown', ['3.5.2', '3.6'], 'def to_html(text):\n    return markdown.markdown(text)'),
  pd('from lxml import etree', 'lxml', ['5.2.1', '5.2.2'], 'def root_tag(data):\n    return etree.fromstring(data).tag'),
  pd('from tqdm import tqdm', 'tqdm', ['4.66.2', '4.66.4'], 'def with_progress(items):\n    yield from tqdm(items)'),
  pd('from rich.console import Console', 'rich', ['13.7.1'], 'def shout(message):\n    Console().print("[bold]" + message + "[/bold]")'),
  pd('import httpx', 'httpx', ['0.27.0'], 'async def fetch_text(url):\n    async with httpx.AsyncClient() as client:\n        return (await client.get(url)).text'),
  pd('from pydantic import BaseModel', 'pydantic', ['2.7.1', '2.7.4'], 'class JobSettings(BaseModel):\n    name: str\n    retries: int = 3'),
  pd('import serial', 'pyserial', ['3.5'], 'def open_port(device):\n    return serial.Serial(device, 9600, timeout=1)'),
  pd('import cv2', 'opencv-python', ['4.9.0.80', '4.10.0.82'], 'def grayscale(src, dst):\n    cv2.imwrite(dst, cv2.cvtColor(cv2.imread(src), cv2.COLOR_BGR2GRAY))'),
  pd('from Crypto.Cipher import AES', 'pycryptodome', ['3.20.0'], 'def encrypt(key, data):\n    return AES.new(key, AES.MODE_EAX).encrypt_and_digest(data)'),
  pd('from google.protobuf import json_format', 'protobuf', ['4.25.3', '5.27.0'], 'def message_to_dict(msg):\n    return json_format.MessageToDict(msg)'),
  pd('import psutil', 'psutil', ['5.9.8', '6.0.0'], 'def memory_percent():\n    return psutil.virtual_memory().percent'),
  pd('from tabulate import tabulate', 'tabulate', ['0.9.0'], 'def as_table(rows):\n    return tabulate(rows, headers="firstrow")'),
  pd('import toml', 'toml', ['0.10.2'], 'def read_toml(path):\n    return toml.load(path)'),
  pd('import magic', 'python-magic', ['0.4.27'], 'def mime_type(path):\n    return magic.from_file(path, mime=True)'),
  pd('import zmq', 'pyzmq', ['25.1.2', '26.0.3'], 'def publisher(addr):\n    sock = zmq.Context().socket(zmq.PUB)\n    sock.bind(addr)\n    return sock'),
];
/** What the oracle (and a careful engineer) knows: import name → distribution, where they differ. */
const PY_IMPORT_TO_DIST: Record<string, string> = { yaml: 'PyYAML', bs4: 'beautifulsoup4', PIL: 'Pillow', dateutil: 'python-dateutil', jwt: 'PyJWT', sklearn: 'scikit-learn', dotenv: 'python-dotenv', attr: 'attrs', serial: 'pyserial', cv2: 'opencv-python', Crypto: 'pycryptodome', google: 'protobuf', magic: 'python-magic', zmq: 'pyzmq' };
const PY_TRANSITIVE: Array<[string, string]> = [['certifi', '2024.2.2'], ['urllib3', '2.2.1'], ['idna', '3.7'], ['charset-normalizer', '3.3.2'], ['six', '1.16.0'], ['MarkupSafe', '2.1.5'], ['Werkzeug', '3.0.3'], ['itsdangerous', '2.2.0'], ['blinker', '1.8.2'], ['soupsieve', '2.5'], ['greenlet', '3.0.3'], ['typing_extensions', '4.12.0'], ['packaging', '24.0'], ['pytz', '2024.1'], ['tzdata', '2024.1'], ['botocore', '1.34.110'], ['s3transfer', '0.10.1'], ['jmespath', '1.0.1'], ['annotated-types', '0.7.0'], ['pydantic_core', '2.18.2'], ['anyio', '4.4.0'], ['sniffio', '1.3.1'], ['h11', '0.14.0'], ['httpcore', '1.0.5'], ['markdown-it-py', '3.0.0'], ['mdurl', '0.1.2'], ['Pygments', '2.18.0'], ['joblib', '1.4.2'], ['scipy', '1.13.1'], ['threadpoolctl', '3.5.0']];
const PY_DEV: PyDep[] = [
  pd('import pytest', 'pytest', ['8.2.1', '8.2.2'], ''),
  pd('from freezegun import freeze_time', 'freezegun', ['1.5.1'], ''),
  pd('import responses', 'responses', ['0.25.0'], ''),
  pd('from hypothesis import given, strategies as st', 'hypothesis', ['6.103.0'], ''),
];
const PY_STDLIB = ['import json', 'import os', 'import logging', 'from pathlib import Path', 'from datetime import datetime', 'import csv', 'import re', 'from typing import Iterable', 'from dataclasses import dataclass', 'from collections import Counter', 'import argparse', 'import subprocess', 'import hashlib', 'import sqlite3', 'import itertools', 'from functools import lru_cache', 'from urllib.parse import urljoin', 'import shutil', 'import time'];
const PY_APPS = ['ingest', 'notifier', 'reporter', 'scraper', 'billing_sync', 'etl', 'inventory', 'alerts'];
const PY_MODULES = ['fetch', 'storage', 'parsing', 'render', 'jobs', 'config', 'models', 'exporters'];

/** Node: require form, ESM form, package, versions, code using it. */
interface NodeDep { cjs: string; esm: string; pkg: string; versions: string[]; code: string }
const nd = (cjs: string, esm: string, pkg: string, versions: string[], code: string): NodeDep => ({ cjs, esm, pkg, versions, code });
const NODE_DEPS: NodeDep[] = [
  nd("const express = require('express');", "import express from 'express';", 'express', ['4.19.2'], "function createApp() {\n  const app = express();\n  app.get('/health', (_req, res) => res.json({ ok: true }));\n  return app;\n}"),
  nd("const merge = require('lodash/merge');", "import merge from 'lodash/merge.js';", 'lodash', ['4.17.21'], 'function withDefaults(options) {\n  return merge({ retries: 3, timeoutMs: 5000 }, options);\n}'),
  nd("const axios = require('axios');", "import axios from 'axios';", 'axios', ['1.7.2', '1.6.8'], 'async function getJson(url) {\n  return (await axios.get(url)).data;\n}'),
  nd("const dayjs = require('dayjs');", "import dayjs from 'dayjs';", 'dayjs', ['1.11.11', '1.11.10'], "function today() {\n  return dayjs().format('YYYY-MM-DD');\n}"),
  nd("const { z } = require('zod');", "import { z } from 'zod';", 'zod', ['3.23.8', '3.22.4'], 'const UserSchema = z.object({ id: z.string(), email: z.string().email() });'),
  nd("const { Command } = require('commander');", "import { Command } from 'commander';", 'commander', ['12.1.0', '11.1.0'], "function buildCli() {\n  return new Command('sync').option('--dry-run', 'print what would change');\n}"),
  nd("const { v4: uuidv4 } = require('uuid');", "import { v4 as uuidv4 } from 'uuid';", 'uuid', ['9.0.1', '10.0.0'], 'function newId() {\n  return uuidv4();\n}'),
  nd("const pg = require('pg');", "import pg from 'pg';", 'pg', ['8.11.5', '8.12.0'], 'function dbPool() {\n  return new pg.Pool({ connectionString: process.env.DATABASE_URL });\n}'),
  nd("const Redis = require('ioredis');", "import Redis from 'ioredis';", 'ioredis', ['5.4.1'], 'function cache() {\n  return new Redis(process.env.REDIS_URL);\n}'),
  nd("const jwt = require('jsonwebtoken');", "import jwt from 'jsonwebtoken';", 'jsonwebtoken', ['9.0.2'], 'function signToken(payload) {\n  return jwt.sign(payload, process.env.JWT_SECRET, { expiresIn: "1h" });\n}'),
  nd("const bcrypt = require('bcryptjs');", "import bcrypt from 'bcryptjs';", 'bcryptjs', ['2.4.3'], 'function hashPassword(password) {\n  return bcrypt.hash(password, 10);\n}'),
  nd("require('dotenv').config();", "import 'dotenv/config';", 'dotenv', ['16.4.5'], 'function envName() {\n  return process.env.NODE_ENV ?? "development";\n}'),
  nd("const YAML = require('yaml');", "import YAML from 'yaml';", 'yaml', ['2.4.2', '2.4.5'], 'function readYaml(text) {\n  return YAML.parse(text);\n}'),
  nd("const { marked } = require('marked');", "import { marked } from 'marked';", 'marked', ['12.0.2'], 'function renderMarkdown(md) {\n  return marked.parse(md);\n}'),
  nd("const { S3Client } = require('@aws-sdk/client-s3');", "import { S3Client } from '@aws-sdk/client-s3';", '@aws-sdk/client-s3', ['3.588.0', '3.600.0'], "function s3() {\n  return new S3Client({ region: process.env.AWS_REGION ?? 'eu-west-1' });\n}"),
  nd("const Sentry = require('@sentry/node');", "import * as Sentry from '@sentry/node';", '@sentry/node', ['8.7.0', '8.9.2'], 'function initSentry() {\n  Sentry.init({ dsn: process.env.SENTRY_DSN });\n}'),
  nd("const { WebSocketServer } = require('ws');", "import { WebSocketServer } from 'ws';", 'ws', ['8.17.0', '8.17.1'], 'function socketServer() {\n  return new WebSocketServer({ noServer: true });\n}'),
  nd("const cors = require('cors');", "import cors from 'cors';", 'cors', ['2.8.5'], 'const corsMiddleware = cors({ origin: true });'),
  nd("const helmet = require('helmet');", "import helmet from 'helmet';", 'helmet', ['7.1.0'], 'const securityHeaders = helmet();'),
  nd("const nodemailer = require('nodemailer');", "import nodemailer from 'nodemailer';", 'nodemailer', ['6.9.13', '6.9.14'], "function mailer() {\n  return nodemailer.createTransport({ host: 'localhost', port: 25 });\n}"),
  nd("const { parse } = require('csv-parse/sync');", "import { parse } from 'csv-parse/sync';", 'csv-parse', ['5.5.6'], 'function readCsv(text) {\n  return parse(text, { columns: true });\n}'),
  nd("const fg = require('fast-glob');", "import fg from 'fast-glob';", 'fast-glob', ['3.3.2'], "function sourceFiles() {\n  return fg('src/**/*.js');\n}"),
  nd("const semver = require('semver');", "import semver from 'semver';", 'semver', ['7.6.2'], 'function isNewer(a, b) {\n  return semver.gt(a, b);\n}'),
  nd("const { addDays } = require('date-fns');", "import { addDays } from 'date-fns';", 'date-fns', ['3.6.0'], 'function nextWeek(date) {\n  return addDays(date, 7);\n}'),
  nd("const { Octokit } = require('@octokit/rest');", "import { Octokit } from '@octokit/rest';", '@octokit/rest', ['20.1.1', '21.0.0'], 'function github() {\n  return new Octokit({ auth: process.env.GITHUB_TOKEN });\n}'),
];
const NODE_TRANSITIVE: Array<[string, string]> = [['accepts', '1.3.8'], ['body-parser', '1.20.2'], ['debug', '4.3.5'], ['ms', '2.1.3'], ['mime-types', '2.1.35'], ['follow-redirects', '1.15.6'], ['form-data', '4.0.0'], ['safe-buffer', '5.2.1'], ['inherits', '2.0.4'], ['tslib', '2.6.3'], ['@smithy/types', '3.1.0'], ['pg-pool', '3.6.2'], ['pg-protocol', '1.6.1'], ['denque', '2.1.0'], ['buffer-equal-constant-time', '1.0.1'], ['lru-cache', '10.2.2'], ['picomatch', '2.3.1'], ['micromatch', '4.0.7'], ['qs', '6.11.0'], ['cookie', '0.6.0']];
const NODE_DEV: NodeDep[] = [
  nd("const request = require('supertest');", "import request from 'supertest';", 'supertest', ['7.0.0'], ''),
  nd("const nock = require('nock');", "import nock from 'nock';", 'nock', ['13.5.4'], ''),
  nd("const sinon = require('sinon');", "import sinon from 'sinon';", 'sinon', ['18.0.0'], ''),
  nd("const { expect } = require('chai');", "import { expect } from 'chai';", 'chai', ['4.4.1', '5.1.1'], ''),
];
const NODE_BUILTIN_CJS = ["const fs = require('fs');", "const path = require('node:path');", "const { EventEmitter } = require('events');", "const crypto = require('crypto');", "const os = require('node:os');", "const { promisify } = require('util');", "const { readFile } = require('fs/promises');", "const zlib = require('node:zlib');"];
const NODE_BUILTIN_ESM = ["import fs from 'node:fs';", "import path from 'node:path';", "import { EventEmitter } from 'node:events';", "import crypto from 'node:crypto';", "import os from 'node:os';", "import { promisify } from 'node:util';", "import { readFile } from 'node:fs/promises';", "import zlib from 'node:zlib';"];
const NODE_BUILTINS = ['assert', 'buffer', 'child_process', 'crypto', 'events', 'fs', 'http', 'https', 'net', 'os', 'path', 'stream', 'test', 'url', 'util', 'zlib', 'readline', 'worker_threads'];
const NODE_FILES = ['server', 'db', 'mailer', 'jobs', 'config', 'auth', 'export', 'cli'];

const jsName = (code: string) => /^(?:async )?(?:function|const|class) (\w+)/.exec(code)?.[1] ?? 'x';

/** Split `items` over `k` buckets so each bucket gets at least one when possible. */
function spread<T>(rng: Rng, items: readonly T[], k: number): T[][] {
  const out: T[][] = Array.from({ length: k }, () => []);
  rng.shuffle(items).forEach((x, i) => out[i < k ? i : rng.int(0, k - 1)]!.push(x));
  return out;
}
const ci = (a: string, b: string) => cmp(a.toLowerCase(), b.toLowerCase()) || cmp(a, b);

export const depsManifestSync: Family = {
  id: 'deps-manifest-sync',
  version: 1,
  category: 'Software Dev',
  subcategory: 'code generation and implementation',
  summary: 'Bring requirements.txt / package.json in line with what the code imports, pinned from pip freeze / package-lock (no stdlib, local or transitive packages).',
  generate(ctx) {
    return ctx.rng.chance(0.5) ? python(ctx) : node(ctx);
  },
};

function python(ctx: Parameters<Family['generate']>[0]): ReturnType<Family['generate']> {
  const { rng, difficulty: d } = ctx;
  const app = rng.pick(PY_APPS);
  const pool = PY_DEPS.filter((x) => d >= 3 || x.same);
  const used = rng.sample(pool, 3 + d);
  // d3+: make sure a renamed distribution (yaml → PyYAML, …) is among the missing ones.
  if (d >= 3 && used.every((x) => x.same)) used[0] = rng.pick(PY_DEPS.filter((x) => !x.same && !used.includes(x)));
  const ver = new Map(used.map((x) => [x.dist, rng.pick(x.versions)]));
  const missing = rng.sample(used.filter((x) => !x.same), d >= 3 ? 1 : 0);
  for (const x of rng.shuffle(used.filter((y) => !missing.includes(y)))) if (missing.length < Math.max(2, Math.ceil(used.length / 2))) missing.push(x);
  const present = used.filter((x) => !missing.includes(x));
  const stale = d >= 4 ? rng.pick(PY_DEPS.filter((x) => !used.includes(x))) : undefined;
  const optional = d >= 4 ? rng.pick([['ujson', '5.10.0', 'import ujson as fast_json', 'import json as fast_json'], ['orjson', '3.10.3', 'import orjson as fast_json', 'import json as fast_json'], ['uvloop', '0.19.0', 'import uvloop', 'uvloop = None']] as const) : undefined;
  const dev = d >= 5 ? rng.sample(PY_DEV, 2) : [];
  const devPresent = d >= 5 ? [rng.pick(dev)] : [];

  const mods = rng.sample(PY_MODULES, Math.min(PY_MODULES.length, 2 + Math.ceil(d / 2)));
  // A helper in the first module that later modules and the script import: a local import, not a requirement.
  const helper = `${mods[0]}_defaults`;
  const files: Record<string, string> = {};
  const groups = spread(rng, used, mods.length + (d >= 2 ? 1 : 0));
  mods.forEach((m, i) => {
    const deps = groups[i]!;
    const head = [`"""${m.replace(/^./, (c) => c.toUpperCase())} for the ${app} service."""`];
    if (optional && i === 0) head.push(`try:\n    ${optional[2]}\nexcept ImportError:  # optional speed-up\n    ${optional[3]}`);
    const std = rng.sample(PY_STDLIB, rng.int(1, 3)).sort(cmp);
    if (d >= 2 && i === mods.length - 1) std.push('import settings');
    const third = deps.map((x) => x.line).sort(cmp);
    const local = i > 0 && d >= 2 ? [`from ${app}.${mods[0]} import ${helper}`] : [];
    const imports = [std, third, local].filter((g) => g.length).map((g) => g.join('\n'));
    const body = [...deps.map((x) => x.code), ...(i === 0 ? [`def ${helper}():\n    return {"retries": 3, "timeout": 10}`] : [])];
    files[`${app}/${m}.py`] = `${head.join('\n')}\n${imports.join('\n\n')}\n\n\n${body.join('\n\n\n')}\n`;
  });
  files[`${app}/__init__.py`] = `"""The ${app} service."""\n`;
  if (d >= 2) {
    const deps = groups[mods.length]!;
    const third = deps.map((x) => x.line).sort(cmp);
    files['scripts/backfill.py'] =
      `"""One-off backfill, run by hand."""\nimport sys\n\n${third.length ? `${third.join('\n')}\n\n` : ''}from ${app}.${mods[0]} import ${helper}\n\n\n` +
      `${deps.map((x) => `${x.code}\n\n\n`).join('')}if __name__ == "__main__":\n    print(${helper}(), sys.argv[1:])\n`;
    files['settings.py'] = `"""Deployment settings (read at import time)."""\nDEBUG = False\nTIMEZONE = "UTC"\n`;
  }
  if (dev.length) {
    files['tests/test_smoke.py'] = `import unittest\n\n${dev.map((x) => x.line).sort(cmp).join('\n')}\n\nimport ${app}\n\n\nclass SmokeTest(unittest.TestCase):\n    def test_imports(self):\n        self.assertTrue(${app}.__doc__)\n`;
  }
  const freeze: Array<[string, string]> = [...used.map((x) => [x.dist, ver.get(x.dist)!] as [string, string]), ...rng.sample(PY_TRANSITIVE, 8 + d * 2)];
  if (stale) freeze.push([stale.dist, stale.versions[0]!]);
  if (optional) freeze.push([optional[0], optional[1]]);
  const devVer = new Map(dev.map((x) => [x.dist, x.versions[0]!]));
  for (const x of dev) freeze.push([x.dist, devVer.get(x.dist)!]);
  if (d >= 5) freeze.push(['ruff', '0.4.8']);
  const freezeText = [...new Map(freeze.map(([a, b]) => [a.toLowerCase(), `${a}==${b}`])).values()].sort(ci).join('\n') + '\n';
  const header = rng.pick(['# Runtime dependencies, pinned. Keep this file sorted.', '# Production requirements (pinned)', `# ${app}: pinned runtime dependencies`]);
  const req = (xs: PyDep[], extra: string[] = []) => [header, ...[...xs.map((x) => `${x.dist}==${ver.get(x.dist)}`), ...extra].sort(ci)].join('\n') + '\n';
  files['requirements.txt'] = req(present, stale ? [`${stale.dist}==${stale.versions[0]}`] : []);
  files['pip-freeze.txt'] = freezeText;
  if (d >= 5) files['requirements-dev.txt'] = ['-r requirements.txt', ...['ruff==0.4.8', ...devPresent.map((x) => `${x.dist}==${devVer.get(x.dist)}`)].sort(ci)].join('\n') + '\n';
  files['README.md'] = `# ${app}\n\nInstall with \`pip install -r requirements.txt\`${d >= 5 ? ' (and `requirements-dev.txt` for the tests)' : ''}, then run \`python3 -m ${app}.${mods[0]}\`.\n`;
  const expectedReq = req(used);
  const expectedDev = d >= 5 ? ['-r requirements.txt', ...['ruff==0.4.8', ...dev.map((x) => `${x.dist}==${devVer.get(x.dist)}`)].sort(ci)].join('\n') + '\n' : undefined;

  const checks: CheckInput[] = [
    { id: 'requirements_exact', type: 'text_equals', path: 'requirements.txt', text: expectedReq, weight: 2 },
    { id: 'requirements_added', type: 'text_contains', path: 'requirements.txt', text: missing.map((x) => `${x.dist}==${ver.get(x.dist)}`), weight: 2 },
    { id: 'freeze_untouched', type: 'file_unchanged', path: 'pip-freeze.txt', weight: 0 },
  ];
  if (stale) checks.push({ id: 'stale_removed', type: 'text_not_contains', path: 'requirements.txt', text: `${stale.dist}==` });
  if (expectedDev) checks.push({ id: 'dev_requirements_exact', type: 'text_equals', path: 'requirements-dev.txt', text: expectedDev });

  const where = d >= 2 ? `\`${app}/\` and \`scripts/\`` : `\`${app}/\``;
  const pyFiles = Object.keys(files).filter((f) => f.endsWith('.py') && !f.startsWith('tests/') && f !== 'settings.py');
  const ask =
    say(rng, [
      'A fresh `pip install -r requirements.txt` of {app} fails at runtime with ModuleNotFoundError. Please fix `requirements.txt` so it covers every third-party package the code imports.',
      'Our {team} deploy of {app} broke: the container is missing packages that the code in {where} imports. Can you bring `requirements.txt` up to date?',
      'requirements.txt for {app} has drifted from the code. Could you add whatever {where} imports but the file does not list?',
      'Please audit the imports in {where} and make `requirements.txt` complete — CI builds a clean venv from it and the smoke test dies on import.',
      'I installed things by hand on my laptop and never recorded them. Fix `requirements.txt` for {app} based on what the code actually imports.',
      'Dependency hygiene for the {app} service: every package imported under {where} must be pinned in `requirements.txt`.',
      'The {app} Docker image builds from `requirements.txt` and then crashes on the first import. Could you reconcile the file with the code?',
    ], { app, team: rng.pick(TEAM_NAMES), where }) +
    ' ' +
    say(rng, [
      'There are {k} Python files to look at ({some}).',
      'The code is small: {some}.',
      'Start with {first}, it is where the crash happens.',
      '`requirements.txt` lists {have} packages today.',
      'I already pinned {have} packages; the rest went missing.',
    ], { k: pyFiles.length, some: pyFiles.slice(0, 3).map((f) => `\`${f}\``).join(', '), first: `\`${rng.pick(pyFiles)}\``, have: present.length + (stale ? 1 : 0) });
  const b = rng.pick(['- ', '* ']);
  const rules = [
    b + say(rng, [
      'Pin each one to the exact name and version in `pip-freeze.txt` (my working environment), as `Name==version`.',
      'Use `Name==version` lines, taking the distribution name and version exactly as `pip-freeze.txt` spells them.',
      'Versions (and the spelling of names) come from `pip-freeze.txt`: write `Name==version`.',
      '`pip-freeze.txt` is a dump of my environment; copy name and version from there verbatim (`Name==version`).',
    ]),
    b + say(rng, [
      'Keep the comment line at the top; requirement lines sorted alphabetically, ignoring case.',
      'The first line (a comment) stays; below it, one requirement per line, sorted case-insensitively.',
      'Sorted A→Z without regard to case, under the existing comment header.',
      'Leave the header comment where it is and list the pins in case-insensitive alphabetical order.',
    ]),
    b + say(rng, [
      'Standard-library modules and the project\'s own modules are not requirements, and neither are packages that are only installed as dependencies of something else.',
      'Only direct imports count: no stdlib, no local modules, nothing that is in the freeze merely as a transitive dependency.',
      'Leave out the standard library, our own modules ({app}, settings) and anything that only came in as a sub-dependency.',
    ], { app }),
  ];
  if (d >= 3) rules.push(b + say(rng, ['Watch out for import names that differ from the distribution name.', 'Some packages are imported under a different name than the one you install.', 'Careful: the module you import is not always called like the package on PyPI.']));
  if (d >= 4) rules.push(b + say(rng, ['Drop requirements nothing imports any more. An import inside `try: … except ImportError` is optional and is not a requirement.', 'Remove stale entries that no code imports; optional imports guarded by `except ImportError` do not go in.', 'Optional imports (inside `try`/`except ImportError`) are not requirements, and entries no code imports should go.']));
  if (d >= 5) rules.push(b + say(rng, ['Test-only imports (under `tests/`) belong in `requirements-dev.txt` (keep its `-r requirements.txt` first line and `ruff`, rest sorted the same way), not in `requirements.txt`.', 'Packages only the tests import go to `requirements-dev.txt` instead: first line `-r requirements.txt`, then sorted pins (keep `ruff`).']));
  const details = [rules[0]!, ...rng.shuffle(rules.slice(1))];
  const instruction = voiced(ctx, ask, details);

  const solution = pyOracle(String.raw`
import ast
app, d = ${JSON.stringify(app)}, ${d}
RENAMED = ${JSON.stringify(PY_IMPORT_TO_DIST)}
freeze = {}
for line in open("pip-freeze.txt"):
    if "==" in line:
        name, v = line.strip().split("==")
        freeze[name.lower().replace("_", "-")] = (name, v)
local = {os.path.splitext(p)[0] for p in os.listdir(".")} | {app}
def imports(path):
    tree = ast.parse(open(path).read())
    optional = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(isinstance(h.type, ast.Name) and h.type.id == "ImportError" for h in node.handlers):
            for sub in node.body:
                for n in ast.walk(sub):
                    optional.add(id(n))
    for node in ast.walk(tree):
        if id(node) in optional:
            continue
        if isinstance(node, ast.Import):
            for a in node.names:
                yield a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module.split(".")[0]
def needed(paths):
    out = set()
    for p in paths:
        for root in imports(p):
            if root in sys.stdlib_module_names or root in local:
                continue
            dist = RENAMED.get(root, root)
            out.add(freeze[dist.lower().replace("_", "-")])
    return out
def key(nv):
    return (nv[0].lower(), nv[0])
runtime = needed([p for p in glob.glob("**/*.py", recursive=True) if not p.startswith("tests/")])
header = open("requirements.txt").readline()
open("requirements.txt", "w").write(header + "".join("%s==%s\n" % nv for nv in sorted(runtime, key=key)))
if d >= 5:
    dev = needed(glob.glob("tests/**/*.py", recursive=True)) - runtime
    kept = [l.strip() for l in open("requirements-dev.txt") if l.strip() and not l.startswith("-r")]
    lines = sorted(set(kept) | {"%s==%s" % nv for nv in dev}, key=lambda s: (s.lower(), s))
    open("requirements-dev.txt", "w").write("-r requirements.txt\n" + "".join(l + "\n" for l in lines))
`);
  return {
    title: `Complete requirements.txt for ${app}`,
    instruction,
    workspace: files,
    solution,
    checks,
    operations: ['inspect code or configuration files', 'extract structured data from files or web content', 'modify code or configuration files'],
    tags: ['python', 'dependencies'],
  };
}

function node(ctx: Parameters<Family['generate']>[0]): ReturnType<Family['generate']> {
  const { rng, difficulty: d } = ctx;
  const team = rng.pick(TEAM_NAMES);
  const name = `${team}-${rng.pick(['api', 'worker', 'gateway', 'bot', 'portal'])}`;
  const esm = d >= 3 && rng.chance(0.5);
  const used = rng.sample(NODE_DEPS, 3 + d);
  const ver = new Map(used.map((x) => [x.pkg, rng.pick(x.versions)]));
  const missing = rng.sample(used, Math.max(2, Math.ceil(used.length / 2)));
  // d3+: a subpath import (lodash/merge, csv-parse/sync, dotenv/config) or a scoped package is among the missing when there is one.
  const tricky = used.find((x) => !missing.includes(x) && (x.pkg.startsWith('@') || /['"][^'"./]+\//.test(esm ? x.esm : x.cjs)));
  if (d >= 3 && tricky) missing[0] = tricky;
  const present = used.filter((x) => !missing.includes(x));
  const stale = d >= 4 ? rng.pick(NODE_DEPS.filter((x) => !used.includes(x))) : undefined;
  const dev = d >= 5 ? rng.sample(NODE_DEV, 2) : [];
  const devVer = new Map(dev.map((x) => [x.pkg, x.versions[0]!]));

  const ext = '.js';
  const mods = rng.sample(NODE_FILES, 2 + Math.ceil(d / 2));
  const files: Record<string, string> = {};
  const groups = spread(rng, used, mods.length);
  mods.forEach((m, i) => {
    const deps = groups[i]!;
    const builtins = rng.sample(esm ? NODE_BUILTIN_ESM : NODE_BUILTIN_CJS, rng.int(0, 2));
    const local = i > 0 && d >= 2 ? [esm ? `import { ${mods[0]}Helpers } from './${mods[0]}.js';` : `const { ${mods[0]}Helpers } = require('./${mods[0]}');`] : [];
    const names = deps.map((x) => jsName(x.code));
    const helper = i === 0 ? [`function ${mods[0]}Helpers() {\n  return {};\n}`] : [];
    const exported = [...names, ...(i === 0 ? [`${mods[0]}Helpers`] : [])];
    const exp = exported.length ? (esm ? `export { ${exported.join(', ')} };` : `module.exports = { ${exported.join(', ')} };`) : '';
    files[`src/${m}${ext}`] = [...(esm ? [] : ["'use strict';", '']), ...builtins, ...deps.map((x) => (esm ? x.esm : x.cjs)), ...local, '', ...[...deps.map((x) => x.code), ...helper].flatMap((c) => [c, '']), exp].join('\n').replace(/\n{3,}/g, '\n\n') + '\n';
  });
  if (dev.length) {
    files['test/app.test.js'] = [...(esm ? ["import test from 'node:test';", "import assert from 'node:assert/strict';"] : ["const test = require('node:test');", "const assert = require('node:assert/strict');"]), ...dev.map((x) => (esm ? x.esm : x.cjs)), esm ? `import * as mod from '../src/${mods[0]}.js';` : `const mod = require('../src/${mods[0]}');`, '', "test('module loads', () => {\n  assert.ok(mod);\n});", ''].join('\n');
  }
  const range = (v: string) => `^${v}`;
  const depsObj = (xs: NodeDep[], extra: Array<[string, string]> = []) => Object.fromEntries([...xs.map((x) => [x.pkg, range(ver.get(x.pkg)!)] as [string, string]), ...extra].sort((a, b) => cmp(a[0], b[0])));
  const devTools: Array<[string, string]> = [['eslint', '^9.4.0'], ['prettier', '^3.3.1']];
  const devPresent: Array<[string, string]> = d >= 5 ? [...devTools, [dev[0]!.pkg, range(devVer.get(dev[0]!.pkg)!)]] : devTools;
  const pkgJson = (deps: Record<string, string>, devDeps: Array<[string, string]>) => ({
    name,
    version: `${rng.int(0, 3)}.${rng.int(0, 20)}.${rng.int(0, 9)}`,
    private: true,
    ...(esm ? { type: 'module' } : {}),
    main: `src/${mods[0]}.js`,
    scripts: { start: `node src/${mods[0]}.js`, test: 'node --test', lint: 'eslint src' },
    dependencies: deps,
    devDependencies: Object.fromEntries([...devDeps].sort((a, b) => cmp(a[0], b[0]))),
  });
  const startJson = pkgJson(depsObj(present, stale ? [[stale.pkg, range(stale.versions[0]!)]] : []), devPresent);
  const expectedDeps = depsObj(used);
  const expectedDev = Object.fromEntries([...devTools, ...dev.map((x) => [x.pkg, range(devVer.get(x.pkg)!)] as [string, string])].sort((a, b) => cmp(a[0], b[0])));
  files['package.json'] = JSON.stringify(startJson, null, 2) + '\n';
  const lockPkgs: Record<string, unknown> = { '': { name, version: startJson.version, dependencies: startJson.dependencies, devDependencies: startJson.devDependencies } };
  const installed: Array<[string, string, boolean]> = [
    ...used.map((x) => [x.pkg, ver.get(x.pkg)!, false] as [string, string, boolean]),
    ...rng.sample(NODE_TRANSITIVE, 6 + d * 2).map(([a, b]) => [a, b, false] as [string, string, boolean]),
    ...dev.map((x) => [x.pkg, devVer.get(x.pkg)!, true] as [string, string, boolean]),
    ['eslint', '9.4.0', true],
    ['prettier', '3.3.1', true],
    ...(stale ? [[stale.pkg, stale.versions[0]!, false] as [string, string, boolean]] : []),
  ];
  for (const [p, v, isDev] of installed.sort((a, b) => cmp(a[0], b[0]))) {
    lockPkgs[`node_modules/${p}`] = { version: v, resolved: `https://registry.npmjs.org/${p}/-/${p.split('/').pop()}-${v}.tgz`, ...(isDev ? { dev: true } : {}) };
  }
  files['package-lock.json'] = JSON.stringify({ name, version: startJson.version, lockfileVersion: 3, requires: true, packages: lockPkgs }, null, 2) + '\n';
  files['README.md'] = `# ${name}\n\n\`npm ci && npm start\`. The lockfile reflects what is installed locally.\n`;

  const checks: CheckInput[] = [
    { id: 'dependencies', type: 'json_path', path: 'package.json', query: '$.dependencies', equals: expectedDeps, weight: 3 },
    ...missing.map((x) => ({ id: `dep_${x.pkg.replace(/\W+/g, '_')}`, type: 'json_path' as const, path: 'package.json', query: `$.dependencies['${x.pkg}']`, equals: range(ver.get(x.pkg)!) })),
    { id: 'scripts_kept', type: 'json_path', path: 'package.json', query: '$.scripts', equals: startJson.scripts, weight: 0 },
  ];
  if (d >= 5) checks.push({ id: 'dev_dependencies', type: 'json_path', path: 'package.json', query: '$.devDependencies', equals: expectedDev });

  const srcFiles = Object.keys(files).filter((f) => f.startsWith('src/'));
  const ask =
    say(rng, [
      '`npm ci` on a clean machine leaves {name} unable to start: "Cannot find module". Please fix `package.json` so it declares everything `src/` imports.',
      'Somebody installed packages without `--save`, so {name}\'s package.json is missing dependencies. Can you add what the code under `src/` actually uses?',
      'Could you reconcile `package.json` with the imports in `src/`? The {team} deploy of {name} crashes on a missing module.',
      'Please make the `dependencies` of {name} match what `src/` requires — the lockfile shows what I have installed locally.',
      'Dependency cleanup for {name}: every package imported from `src/` must be declared in package.json.',
      'Our container build for {name} runs `npm ci --omit=dev` and then dies on startup. Fix the dependency list, please.',
      'The {name} service works on my machine but not in CI, which installs only what package.json declares. Can you sort that out?',
    ], { name, team }) +
    ' ' +
    say(rng, [
      'The code is in {k} files ({some}).',
      '`src/` has {k} modules; {first} is the entry point.',
      'package.json declares {have} runtime packages right now.',
      'It is {style} code, {k} files under `src/`.',
      'I think {first} is the one that fails first.',
    ], { k: srcFiles.length, some: srcFiles.slice(0, 3).map((f) => `\`${f}\``).join(', '), first: `\`src/${mods[0]}.js\``, have: Object.keys(startJson.dependencies).length, style: esm ? 'ES-module' : 'CommonJS' });
  const b = rng.pick(['- ', '* ']);
  const rules = [
    b + say(rng, [
      'Use caret ranges of the versions locked in `package-lock.json`, e.g. `"^1.2.3"` for 1.2.3.',
      'Each entry: `"<package>": "^<version in package-lock.json>"`.',
      'Take versions from `package-lock.json` (`node_modules/<name>` entries) and declare them with a `^`.',
      'Ranges are `^` plus the exact version the lockfile has installed.',
    ]),
    b + say(rng, [
      'Node built-ins (with or without `node:`) and relative imports are not dependencies, nor are packages that are only in the lockfile as dependencies of dependencies.',
      'Skip built-in modules and the project\'s own files; transitive packages from the lockfile do not belong in `dependencies` either.',
      'No Node core modules, no `./` or `../` imports, and nothing that is only installed because another package needs it.',
    ]),
    b + say(rng, ['Declare the package, not the subpath: `foo/bar` means `foo`, `@scope/pkg/x` means `@scope/pkg`.', 'A deep import such as `pkg/sub` or `@scope/pkg/sub` counts as the package itself.', 'Subpath imports map to their package (`a/b` → `a`; scoped: `@s/a/b` → `@s/a`).']),
    b + say(rng, ['Leave the rest of package.json as it is{dev}.', 'Do not touch scripts or other fields{dev}.', 'Everything else in package.json stays unchanged{dev}.'], { dev: d >= 5 ? '' : ' (devDependencies included)' }),
  ];
  if (d >= 4) rules.push(b + say(rng, ['Remove `dependencies` entries that nothing in `src/` imports any more.', 'Also drop runtime dependencies no code imports.', 'A declared dependency that no file imports should be removed.']));
  if (d >= 5) rules.push(b + say(rng, ['Packages imported only by `test/` go in `devDependencies` (same `^` rule); keep the command-line tools already there (eslint, prettier).', 'Test-only imports (from `test/`) belong in `devDependencies`, next to the existing linters, which stay.']));
  const details = [rules[0]!, ...rng.shuffle(rules.slice(1))];
  const instruction = voiced(ctx, ask, details);

  const solution = pyOracle(String.raw`
d = ${d}
BUILTINS = set(${JSON.stringify(NODE_BUILTINS)})
lock = json.load(open("package-lock.json"))["packages"]
rx = re.compile(r"""(?:require\(\s*|from\s+|^import\s+)['"]([^'"]+)['"]""", re.M)
def needed(folder):
    out = set()
    for path in glob.glob(folder + "/**/*.js", recursive=True):
        for spec in rx.findall(open(path).read()):
            if spec.startswith(".") or spec.startswith("node:"):
                continue
            parts = spec.split("/")
            name = "/".join(parts[:2]) if spec.startswith("@") else parts[0]
            if name in BUILTINS:
                continue
            out.add(name)
    return out
pkg = json.load(open("package.json"))
runtime = needed("src")
pkg["dependencies"] = {n: "^" + lock["node_modules/" + n]["version"] for n in sorted(runtime)}
if d >= 5:
    dev = pkg.get("devDependencies", {})
    for n in needed("test") - runtime:
        dev[n] = "^" + lock["node_modules/" + n]["version"]
    pkg["devDependencies"] = dict(sorted(dev.items()))
open("package.json", "w").write(json.dumps(pkg, indent=2) + "\n")
`);
  return {
    title: `Declare the missing dependencies of ${name}`,
    instruction,
    workspace: files,
    solution,
    checks,
    operations: ['inspect code or configuration files', 'extract structured data from files or web content', 'modify code or configuration files'],
    tags: ['node', 'dependencies'],
  };
}

