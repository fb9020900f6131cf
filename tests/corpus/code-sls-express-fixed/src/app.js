const express = require('express');
const axios = require('axios');
const path = require('path');
const { MongoClient } = require('mongodb');

const client = new MongoClient(process.env.MONGO_URL);
const users = client.db('app').collection('users');
const PREVIEW_HOSTS = ['docs.example.com', 'blog.example.com'];

const app = express();
app.use(express.json());

app.post('/login', async (req, res) => {
  const user = await users.findOne({ name: String(req.body.name), password: String(req.body.password) });
  res.json({ ok: Boolean(user) });
});

app.get('/preview', async (req, res) => {
  const host = req.query.host;
  if (!PREVIEW_HOSTS.includes(host)) {
    return res.status(400).send('host not allowed');
  }
  const page = await axios.get(`https://${host}/preview`);
  res.send(page.data);
});

app.post('/calc', (req, res) => {
  const a = Number(req.body.a);
  const b = Number(req.body.b);
  res.json({ result: a + b });
});

app.get('/files/:name', (req, res) => {
  res.sendFile(path.basename(req.params.name), { root: '/var/task/public' });
});

app.use((err, req, res, next) => {
  console.error(err);
  res.status(500).json({ error: 'internal error' });
});

module.exports = app;
