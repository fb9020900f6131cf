const express = require('express');
const axios = require('axios');
const vm = require('vm');
const path = require('path');
const { MongoClient } = require('mongodb');

const client = new MongoClient(process.env.MONGO_URL);
const users = client.db('app').collection('users');

const app = express();
app.use(express.json());

app.post('/login', async (req, res) => {
  const user = await users.findOne({ name: req.body.name, password: req.body.password });
  res.json({ ok: Boolean(user) });
});

app.get('/preview', async (req, res) => {
  const page = await axios.get(req.query.url);
  res.send(page.data);
});

app.post('/calc', (req, res) => {
  const result = vm.runInNewContext(req.body.expression, {});
  res.json({ result });
});

app.get('/files/:name', (req, res) => {
  res.sendFile(path.join('/var/task/public', req.params.name));
});

app.use((err, req, res, next) => {
  res.status(500).json({ error: err.stack });
});

module.exports = app;
