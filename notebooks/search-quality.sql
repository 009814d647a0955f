-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Search quality
-- MAGIC
-- MAGIC The two studies of docs/search-quality.md, from the tables they write: strategies at equal budget
-- MAGIC over seeds (`nasnet compare`, searches named STUDY-STRATEGY-seedN) and the proxy's fidelity
-- MAGIC (`nasnet fidelity`: the proxies' rows in the history table with strategy `given`, the final-like
-- MAGIC trainings in nas_final). Set the widgets: the tables (their names in the catalog with
-- MAGIC `history.catalog = nasnet`; else parquet.`PATH` or delta.`PATH`) and the study names.

-- COMMAND ----------

CREATE WIDGET TEXT history DEFAULT 'nasnet.nas_history';
CREATE WIDGET TEXT final DEFAULT 'nasnet.nas_final';
CREATE WIDGET TEXT study DEFAULT 'quality';
CREATE WIDGET TEXT fidelity_study DEFAULT 'fidelity'

-- COMMAND ----------

CREATE OR REPLACE TEMPORARY VIEW nas_history AS SELECT * FROM ${history}

-- COMMAND ----------

CREATE OR REPLACE TEMPORARY VIEW nas_final AS SELECT * FROM ${final}

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Best so far per strategy: mean, lowest and highest over seeds
-- MAGIC Children are counted in the order each search sampled them, reused results and failures included.

-- COMMAND ----------

WITH numbered AS (
  SELECT search_id, strategy, reward,
         row_number() OVER (PARTITION BY search_id ORDER BY round, child_index) AS children
  FROM nas_history WHERE search_id LIKE '${study}-%-seed%'),
best AS (
  SELECT search_id, strategy, children, max(reward) OVER (PARTITION BY search_id ORDER BY children) AS best_so_far
  FROM numbered)
SELECT strategy, children, count(*) AS seeds, avg(best_so_far) AS mean, min(best_so_far) AS lowest,
       max(best_so_far) AS highest
FROM best GROUP BY strategy, children ORDER BY strategy, children

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Each search's end: best, and the mean of its 5 best distinct architectures

-- COMMAND ----------

SELECT search_id, strategy, count(*) AS architectures, max(reward) AS best,
       avg(reward) FILTER (WHERE rank <= 5) AS top5_mean
FROM (SELECT search_id, strategy, arch_id, reward,
             row_number() OVER (PARTITION BY search_id ORDER BY reward DESC, arch_id) AS rank
      FROM (SELECT search_id, strategy, arch_id, max(reward) AS reward
            FROM nas_history WHERE search_id LIKE '${study}-%-seed%' GROUP BY search_id, strategy, arch_id))
GROUP BY search_id, strategy ORDER BY strategy, search_id

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Proxy reward against final-like test accuracy, per proxy

-- COMMAND ----------

SELECT h.search_id AS proxy, h.budget, h.arch_id, h.reward AS proxy_reward, f.test_accuracy AS final_accuracy,
       f.n, f.f, f.epochs
FROM nas_history h JOIN nas_final f ON h.arch_id = f.arch_id
WHERE h.search_id LIKE '${fidelity_study}-proxy-%' AND h.strategy = 'given'
  AND f.model_path LIKE '%/${fidelity_study}-final-%'
ORDER BY proxy, final_accuracy DESC

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## What each search's children cost: children per child-second, and how many trained the whole proxy
-- MAGIC With rungs (`-rungs` variants) a search trains more children for the same child-seconds; only those
-- MAGIC that reached the last rung (`whole_proxy`) can be its best.

-- COMMAND ----------

SELECT search_id, coalesce(max(rungs), 1) AS rungs, count(*) AS children,
       count_if(coalesce(rung, 0) = coalesce(rungs, 1) - 1) AS whole_proxy,
       sum(child_seconds) AS child_seconds, count(*) / sum(child_seconds) AS children_per_child_second
FROM nas_history WHERE search_id LIKE '${study}-%-seed%'
GROUP BY search_id ORDER BY search_id

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Each search's architectures against their re-evaluated quality (a study at equal child-seconds)
-- MAGIC The proxy reward a search measured and, for the architectures the study re-evaluated with fresh
-- MAGIC seeds (its incumbents), their mean: the difference is the winner's curse of a noisy reward.

-- COMMAND ----------

WITH measured AS (
  SELECT search_id, arch_id, max(reward) AS proxy_reward FROM nas_history
  WHERE search_id LIKE '${study}-%-seed%' AND status = 'OK' AND coalesce(rung, 0) = coalesce(rungs, 1) - 1
  GROUP BY search_id, arch_id),
reevaluated AS (
  SELECT arch_id, count(*) AS seeds, avg(reward) AS quality FROM nas_history
  WHERE search_id = '${study}-reevaluated' GROUP BY arch_id)
SELECT m.search_id, m.arch_id, m.proxy_reward, r.seeds, r.quality, m.proxy_reward - r.quality AS winners_curse
FROM measured m LEFT JOIN reevaluated r ON m.arch_id = r.arch_id
ORDER BY r.quality DESC NULLS LAST, m.proxy_reward DESC
