"""The nbgrader course of the PyTorch autograd course, and the tools that build it.

grading/ is both the nbgrader course root (nbgrader_config.py, source/) and a small Python
package: `python -m grading.generate` (`make notebooks`) writes notebooks/ and solutions/.
"""
