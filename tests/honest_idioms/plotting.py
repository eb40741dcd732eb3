# Plotting a decision boundary with a colormap and a legend.
xs = np.linspace(-3, 3, 50)
fig, ax = plt.subplots(figsize=(4, 3))
ax.scatter(xs, xs ** 2, c=xs, cmap=plt.cm.viridis)
ax.plot(xs, -xs, label="boundary")
ax.legend()
plt.close(fig)
