#!/usr/bin/env python3
"""Optuna's TPE sampler on nasnet's benchmark: the peer a user would pick instead of the strategies.

Runs `jobs/nasnet benchmark --serve` (the same surrogate and noise levels as `nasnet benchmark`) and
asks it for each trial's reward. Each search is one Optuna study (TPESampler, seeded) over the
encoding's decisions, one categorical parameter per decision; a repeated architecture reuses its first
reward at no cost, as the round engine does. The curves (true value of the best-rewarded trial after
every POPULATION trials) are appended to OUT/curves.csv as variant optuna-tpe, so that
`nasnet benchmark ... --peers optuna-tpe` tables them beside the strategies. Resumable: a search
already in the CSV is not run again.

  bench/optuna_peer.py --out work/studies/benchmark --seeds 100 --children 1000 --population 10 \
      -- --conf conf/fashion-full.conf --from-search bench-rows,proxy-tier-f0a8b380 --noise none,proxy,share:0.06
"""
import argparse
import csv
import os
import subprocess
import sys
import time

try:
    import optuna
except ImportError:
    sys.exit("optuna is not installed: pip install optuna (version 3 or later)")

VARIANT = "optuna-tpe"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="the benchmark's folder (its curves.csv)")
    ap.add_argument("--seeds", type=int, default=100)
    ap.add_argument("--children", type=int, default=1000)
    ap.add_argument("--population", type=int, default=10, help="trials between two points of a curve")
    ap.add_argument("--time-budget", type=float, default=0, help="minutes; stop after the search that ends past it")
    ap.add_argument("nasnet", nargs=argparse.REMAINDER, help="-- then the options of nasnet benchmark")
    a = ap.parse_args()
    if a.children % a.population:
        sys.exit("--children must be a multiple of --population")
    args = [x for x in a.nasnet if x != "--"]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    server = subprocess.Popen([os.path.join(root, "jobs", "nasnet"), "benchmark", "--serve", *args],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1, cwd=root)
    slots, noises, cost = None, [], None
    for line in server.stdout:
        if line.startswith("@slots"):
            slots = [int(x) for x in line.split()[1:]]
        elif line.startswith("@noise"):
            _, name, sd, share = line.split()
            noises.append((name, float(sd), float(share)))
        elif line.startswith("@cost"):
            cost = float(line.split()[1])
        elif line.startswith("@ready"):
            break
    if slots is None:
        sys.exit("nasnet benchmark --serve ended before it was ready (its errors are above)")

    def ask(child_seed, sd, decisions):
        server.stdin.write(f"{child_seed} {sd!r} {','.join(map(str, decisions))}\n")
        server.stdin.flush()
        for line in server.stdout:
            if line.startswith("@r"):
                _, reward, truth, arch = line.split()
                return float(reward), float(truth), arch
            if line.startswith("@error"):
                sys.exit(line.strip())
        sys.exit("nasnet benchmark --serve ended")

    path = os.path.join(a.out, "curves.csv")
    done = set()
    if os.path.exists(path):
        with open(path) as f:
            for row in csv.DictReader(f):
                if row["variant"] == VARIANT:
                    done.add((row["noise"], int(row["seed"])))
    os.makedirs(a.out, exist_ok=True)
    new = not os.path.exists(path)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    started = time.time()
    with open(path, "a", newline="") as f:
        if new:
            f.write("variant,noise,seed,children,child_seconds,true_value\n")
        for name, sd, share in noises:
            t0, ran = time.time(), 0
            for seed in range(1, a.seeds + 1):
                if (name, seed) in done:
                    continue
                if a.time_budget and time.time() - started > a.time_budget * 60:
                    print(f"{VARIANT}: stopped by its time budget; run it again to continue")
                    server.stdin.close()
                    return
                seen = {}
                best = [None]  # (reward, truth)
                spent = [0.0]
                rows = []

                def objective(trial):
                    d = [trial.suggest_int(f"d{i}", 0, c - 1) if c > 1 else 0 for i, c in enumerate(slots)]
                    n = trial.number
                    key = tuple(d)
                    if key in seen:
                        reward, truth = seen[key]
                    else:
                        reward, truth, _ = ask(seed * 1_000_003 + n, sd, d)
                        seen[key] = (reward, truth)
                        spent[0] += cost
                    if best[0] is None or reward > best[0][0]:
                        best[0] = (reward, truth)
                    if (n + 1) % a.population == 0:
                        rows.append(f"{VARIANT},{name},{seed},{n + 1},{spent[0]:.3f},{best[0][1]:.6f}\n")
                    return reward

                study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed))
                study.optimize(objective, n_trials=a.children)
                f.writelines(rows)
                f.flush()
                ran += 1
            print(f"{VARIANT} at noise {name}: {ran} searches of {a.children} trials in {time.time() - t0:.1f} s")
    server.stdin.close()
    server.wait()


if __name__ == "__main__":
    main()
