# Logging instead of prints, with the module's __name__.
import logging

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
log = logging.getLogger(__name__)


def numerical_grad(f, x, h=1e-4):
    log.debug("x = %s", x)
    g = (f(x + h) - f(x - h)) / (2 * h)
    log.info("numerical gradient %.4f", g)
    return g
