-- Databricks notebook source
-- MAGIC %md
-- MAGIC # NASNet search history
-- MAGIC
-- MAGIC Questions about one search (or two, to compare RL with random search), answered from the Parquet
-- MAGIC history table that `nasnet search` writes. Set the widgets: the table (`nasnet.nas_history` with
-- MAGIC `history.catalog = nasnet`; else parquet.`PATH` or delta.`PATH`) and the search ids.

-- COMMAND ----------

CREATE WIDGET TEXT history DEFAULT 'nasnet.nas_history';
CREATE WIDGET TEXT search_id DEFAULT 'fashion-small';
CREATE WIDGET TEXT random_search_id DEFAULT 'fashion-small-random'

-- COMMAND ----------

CREATE OR REPLACE TEMPORARY VIEW nas_history AS SELECT * FROM ${history}

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Reward per round, and the best so far

-- COMMAND ----------

SELECT round, count(*) AS children, avg(reward) AS mean_reward, max(reward) AS best_reward,
       max(max(reward)) OVER (ORDER BY round) AS best_so_far
FROM nas_history
WHERE search_id = '${search_id}' AND status IN ('OK', 'CACHED')
GROUP BY round
ORDER BY round

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## RL against random search at equal budget
-- MAGIC The paper's comparison: the best reward each strategy has found after the same number of children.

-- COMMAND ----------

WITH numbered AS (
  SELECT strategy, reward,
         row_number() OVER (PARTITION BY search_id ORDER BY round, child_index) AS children_seen
  FROM nas_history
  WHERE search_id IN ('${search_id}', '${random_search_id}') AND status IN ('OK', 'CACHED'))
SELECT strategy, children_seen,
       max(reward) OVER (PARTITION BY strategy ORDER BY children_seen) AS best_so_far,
       avg(reward) OVER (PARTITION BY strategy ORDER BY children_seen ROWS BETWEEN 19 PRECEDING AND CURRENT ROW) AS mean_last_20
FROM numbered
ORDER BY strategy, children_seen

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Which ops the controller comes to prefer
-- MAGIC Share of each op among all ops sampled in a round.

-- COMMAND ----------

WITH ops AS (
  SELECT round, explode(regexp_extract_all(genotype,
      '\\d+ (identity|conv1x3_3x1|conv1x7_7x1|dil3x3|avg3x3|max3x3|max5x5|max7x7|conv1x1|conv3x3|sep3x3|sep5x5|sep7x7)', 1)) AS op
  FROM nas_history WHERE search_id = '${search_id}')
SELECT round, op, count(*) AS uses, count(*) / sum(count(*)) OVER (PARTITION BY round) AS share
FROM ops
GROUP BY round, op
ORDER BY round, uses DESC

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Which inputs blocks read (0 = h_i, 1 = h_{i-1}, 2 + k = block k), and add against concat

-- COMMAND ----------

WITH picks AS (
  SELECT round, explode(regexp_extract_all(genotype, '(\\d+) [a-z]', 1)) AS input
  FROM nas_history WHERE search_id = '${search_id}')
SELECT round, input, count(*) AS uses
FROM picks GROUP BY round, input ORDER BY round, input

-- COMMAND ----------

SELECT round,
       sum(size(regexp_extract_all(genotype, '(, add\\))', 1))) AS add_blocks,
       sum(size(regexp_extract_all(genotype, '(, concat\\))', 1))) AS concat_blocks
FROM nas_history WHERE search_id = '${search_id}'
GROUP BY round ORDER BY round

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Failures and cache hits

-- COMMAND ----------

SELECT round,
       avg(CASE WHEN status IN ('FAILED', 'DIVERGED') THEN 1 ELSE 0 END) AS failure_rate,
       avg(CASE WHEN status = 'CACHED' THEN 1 ELSE 0 END) AS cache_rate,
       collect_set(error) FILTER (WHERE status IN ('FAILED', 'DIVERGED')) AS errors
FROM nas_history WHERE search_id = '${search_id}'
GROUP BY round ORDER BY round

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## The top architectures

-- COMMAND ----------

SELECT arch_id, max(reward) AS best_reward, count(*) AS evaluations,
       first(genotype) AS genotype, first(params) AS params, first(mult_adds) AS mult_adds
FROM nas_history
WHERE search_id = '${search_id}' AND status = 'OK'
GROUP BY arch_id
ORDER BY best_reward DESC
LIMIT 10
