"""What every layer may know about the app itself: where its shipped files are.

Below models/, forms/ and ui/ alike, so that forms/ (plain data in, PDF bytes out) finds its
font without importing the domain. Nothing here imports anything of ours.
"""
